import LoRaWAN

/// Where parsing of an uplink's MAC commands stopped, and why.
public struct MACCommandParseStop: Sendable, Equatable, CustomStringConvertible {
    /// The byte offset of the command that could not be read.
    public var offset: Int
    /// Bytes from `offset` to the end that were not processed.
    public var ignoredByteCount: Int
    public var error: FrameError

    public init(offset: Int, ignoredByteCount: Int, error: FrameError) {
        self.offset = offset
        self.ignoredByteCount = ignoredByteCount
        self.error = error
    }

    public var description: String { "MAC commands stop at byte \(offset) (\(ignoredByteCount) ignored): \(error)" }
}

/// The MAC commands of one uplink, as far as they could be read.
public struct UplinkMACCommandBlock: Sendable, Equatable {
    public var commands: [UplinkMACCommand]
    /// `nil` when every byte was read.
    public var stop: MACCommandParseStop?

    public init(commands: [UplinkMACCommand], stop: MACCommandParseStop? = nil) {
        self.commands = commands
        self.stop = stop
    }
}

/// Reads the MAC commands of a verified uplink (LoRaWAN 1.1 §4.3.1.6, §5).
///
/// They sit in FOpts (clear in 1.0.x, encrypted with NwkSEncKey in 1.1 in the device's FOpts variant) or
/// in an FPort 0 FRMPayload (encrypted with NwkSKey or NwkSEncKey, never the AppSKey). Commands carry no
/// length, so an unknown CID, a command cut short or an RFU field makes the rest unreadable: reading
/// stops there, keeps what came before, and reports where (LoRaWAN 1.1 §5: a command that is not
/// understood ends the processing of the sequence). Field decoding is `MACCommandCodec`'s.
public enum UplinkMACCommandReader {
    /// CIDs only LoRaWAN 1.1 defines (ResetInd, RekeyInd, ADRParamSetupAns, RejoinParamSetupAns,
    /// DeviceModeInd): from a 1.0.x device they are unknown commands.
    static let lorawan11OnlyCIDs: Set<UInt8> = [0x01, 0x0B, 0x0C, 0x0F, 0x20]

    /// The MAC command bytes of `frame` in clear: the decrypted FPort 0 payload, or FOpts (decrypted
    /// for 1.1). `fCnt` is the frame's full 32-bit counter.
    public static func clearBytes(of frame: DataFrame, fCnt: UInt32, keys: NetworkSessionKeys) throws(FrameError) -> [UInt8] {
        if frame.fPort == 0 {
            return DataFrameCrypto.cryptNetworkPayload(frame.frmPayload, direction: .uplink, devAddr: frame.devAddr, fCnt: fCnt, keys: keys)
        }
        return try DataFrameCrypto.cryptFOpts(frame.fOpts, frame: frame, fCnt: fCnt, keys: keys)
    }

    /// Decodes clear MAC command bytes from a device of `macVersion`, stopping at the first command
    /// that cannot be read.
    public static func read(_ bytes: [UInt8], macVersion: MACVersion) -> UplinkMACCommandBlock {
        var commands: [UplinkMACCommand] = []
        var offset = 0
        func stop(_ error: FrameError) -> UplinkMACCommandBlock {
            UplinkMACCommandBlock(
                commands: commands, stop: MACCommandParseStop(offset: offset, ignoredByteCount: bytes.count - offset, error: error))
        }
        while offset < bytes.count {
            let cid = bytes[offset]
            let end: Int
            if cid >= 0x80 {
                end = bytes.count  // proprietary: its length is unknown, it takes the rest
            } else {
                guard let length = UplinkMACCommand.payloadLength(cid: cid),
                      macVersion.hasSeparateNetworkRootKey || !lorawan11OnlyCIDs.contains(cid)
                else {
                    return stop(.unknownMACCommand(cid: cid, direction: Direction.uplink.description))
                }
                guard offset + 1 + length <= bytes.count else {
                    let name = UplinkMACCommand.name(cid: cid) ?? "MAC command"
                    return stop(.truncated(field: name, needed: length, available: bytes.count - offset - 1))
                }
                end = offset + 1 + length
            }
            do {
                commands += try MACCommandCodec.decodeUplink(Array(bytes[offset..<end]))
            } catch {
                return stop(error)
            }
            offset = end
        }
        return UplinkMACCommandBlock(commands: commands)
    }

    /// Both steps for a verified frame: decrypt, then read.
    public static func read(frame: DataFrame, fCnt: UInt32, session: NetworkSession) -> UplinkMACCommandBlock {
        let bytes: [UInt8]
        do {
            bytes = try clearBytes(of: frame, fCnt: fCnt, keys: session.keys)
        } catch {
            let count = frame.fPort == 0 ? frame.frmPayload.count : frame.fOpts.count
            return UplinkMACCommandBlock(commands: [], stop: MACCommandParseStop(offset: 0, ignoredByteCount: count, error: error))
        }
        return read(bytes, macVersion: session.macVersion)
    }
}
