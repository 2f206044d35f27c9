import Crypto
import LoRaWAN

extension ClaimCode {
    /// Domain separation for the hash: a claim code hash can never be mistaken for another SHA-256 the
    /// Join Server computes, and a future scheme gets a new version.
    static let hashDomain = Array("gatehouse-claim-v1".utf8)

    /// What the Join Server stores instead of the code (`JoinDevice.claimCodeHash`):
    /// `SHA-256("gatehouse-claim-v1" || 0x00 || JoinEUI || DevEUI || code)`, EUIs as 8 bytes big-endian.
    ///
    /// The EUIs are in the hash so that two devices printed with the same code (a careless factory, or
    /// a short code space) have different hashes: a stolen database shows no two devices sharing a code,
    /// and a code guessed for one device says nothing about another.
    public func hash(joinEUI: EUI64, devEUI: EUI64) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Self.hashDomain)
        hasher.update(data: [0x00])
        hasher.update(data: joinEUI.bigEndianBytes)
        hasher.update(data: devEUI.bigEndianBytes)
        hasher.update(data: bytes)
        return Array(hasher.finalize())
    }

    /// Whether this code is the one `storedHash` was made from for that device, compared in constant
    /// time so that a claimant learns nothing from how long a refusal took.
    public func matches(_ storedHash: [UInt8], joinEUI: EUI64, devEUI: EUI64) -> Bool {
        ConstantTime.equal(hash(joinEUI: joinEUI, devEUI: devEUI), storedHash)
    }
}
