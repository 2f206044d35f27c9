import LoRaWAN

/// Derives a device's root keys from its manufacturer's master key, so a manufacturer can provision
/// millions of devices while handing the Join Server one key per JoinEUI range instead of one per device.
///
/// This is a public contract: a manufacturer's provisioning station computes the same keys and writes
/// them into each device. It is NIST SP 800-108 (rev. 1) §4.1, the KDF in counter mode, with AES-CMAC
/// (RFC 4493) keyed with the 16-byte master key as the pseudorandom function:
///
/// - counter `[i]_8`: one byte, starting at `0x01` (r = 8);
/// - `Label`: the ASCII bytes `LoRaWAN AppKey` for the AppKey, `LoRaWAN NwkKey` for the NwkKey
///   (14 bytes, no terminator);
/// - a `0x00` separator;
/// - `Context`: JoinEUI then DevEUI, each as 8 bytes big-endian, the order they are printed in
///   (`70B3D57ED0000001` is `70 B3 D5 7E D0 00 00 01`), not the little-endian LoRaWAN wire order;
/// - `[L]_16`: the output length in bits, 128, as two bytes big-endian (`0x00 0x80`).
///
/// L = 128 bits is exactly one CMAC block, so the counter takes only the value 1 and each key is a
/// single CMAC over 34 bytes:
///
///     key = AES-CMAC(master, 0x01 || Label || 0x00 || JoinEUI || DevEUI || 0x00 0x80)
///
/// The AppKey is the same whatever the device's MAC version; a 1.1 device also gets an NwkKey. The
/// labels keep the two keys independent, and the context makes every device's keys different, so a
/// device's keys reveal nothing about another device's or about the master key. `docs/root-key-derivation.md`
/// has a worked example, which the tests check against OpenSSL.
public enum RootKeyDerivation {
    /// The root keys a device of `macVersion` holds: `.legacy(appKey:)` for 1.0.x, and
    /// `.separate(nwkKey:appKey:)` for 1.1.
    public static func rootKeys(master: MasterKey, joinEUI: EUI64, devEUI: EUI64, macVersion: MACVersion) -> RootKeys {
        let appKey = appKey(master: master, joinEUI: joinEUI, devEUI: devEUI)
        guard macVersion.hasSeparateNetworkRootKey else { return .legacy(appKey: appKey) }
        return .separate(nwkKey: nwkKey(master: master, joinEUI: joinEUI, devEUI: devEUI), appKey: appKey)
    }

    /// The device's AppKey (label `LoRaWAN AppKey`).
    public static func appKey(master: MasterKey, joinEUI: EUI64, devEUI: EUI64) -> AppKey {
        derive(.appKey, master: master, joinEUI: joinEUI, devEUI: devEUI)
    }

    /// A 1.1 device's NwkKey (label `LoRaWAN NwkKey`).
    public static func nwkKey(master: MasterKey, joinEUI: EUI64, devEUI: EUI64) -> NwkKey {
        derive(.nwkKey, master: master, joinEUI: joinEUI, devEUI: devEUI)
    }

    /// The 34 bytes the CMAC runs over for one key: `0x01 || Label || 0x00 || JoinEUI || DevEUI || 0x00 0x80`.
    /// Public so that tools (and a provisioning station's tests) can compare inputs byte for byte.
    public static func pseudorandomFunctionInput(for key: RootKeyName, joinEUI: EUI64, devEUI: EUI64) -> [UInt8] {
        var input: [UInt8] = [counter]
        input.reserveCapacity(34)
        input += Array(key.derivationLabel.utf8)
        input.append(separator)
        input += joinEUI.bigEndianBytes
        input += devEUI.bigEndianBytes
        input += [UInt8(outputBits >> 8), UInt8(outputBits & 0xFF)]
        return input
    }

    /// SP 800-108's counter for the first (and only) block.
    private static let counter: UInt8 = 0x01
    private static let separator: UInt8 = 0x00
    /// L: one AES-128 key.
    private static let outputBits: UInt16 = 128

    private static func derive<Role>(_ key: RootKeyName, master: MasterKey, joinEUI: EUI64, devEUI: EUI64) -> AES128Key<Role> {
        let block = AESCMAC.mac(key: master, message: pseudorandomFunctionInput(for: key, joinEUI: joinEUI, devEUI: devEUI))
        guard let derived = AES128Key<Role>(bytes: block) else {
            preconditionFailure("AES-CMAC always yields 16 bytes")
        }
        return derived
    }
}
