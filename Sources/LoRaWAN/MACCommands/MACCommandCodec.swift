/// Turns the MAC command bytes of FOpts, or of an FPort 0 FRMPayload after decryption, into commands
/// and back (LoRaWAN 1.1 §5: a sequence of CID-then-payload, no length fields and no separators).
///
/// The direction is part of the call because a CID means a different command each way. Decoding
/// stops at the first error and never traps, whatever the input: a CID the direction does not define
/// is `FrameError.unknownMACCommand`, a command cut short is `FrameError.truncated`. A proprietary CID
/// (0x80-0xFF) takes all remaining bytes, since its length is not specified.
public enum MACCommandCodec {
    /// The commands an end device sent.
    public static func decodeUplink(_ bytes: [UInt8]) throws(FrameError) -> [UplinkMACCommand] {
        var reader = ByteReader(bytes)
        var commands: [UplinkMACCommand] = []
        while !reader.isAtEnd {
            commands.append(try UplinkMACCommand.decode(from: &reader))
        }
        return commands
    }

    /// The commands the network sent.
    public static func decodeDownlink(_ bytes: [UInt8]) throws(FrameError) -> [DownlinkMACCommand] {
        var reader = ByteReader(bytes)
        var commands: [DownlinkMACCommand] = []
        while !reader.isAtEnd {
            commands.append(try DownlinkMACCommand.decode(from: &reader))
        }
        return commands
    }

    /// The bytes of `commands` in order, RFU bits zero. The caller keeps to the 15-byte FOpts limit
    /// or the FRMPayload size of the data rate.
    public static func encode(_ commands: [UplinkMACCommand]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(commands.reduce(0) { $0 + 1 + $1.payloadLength })
        for command in commands { command.encode(into: &bytes) }
        return bytes
    }

    /// The bytes of `commands` in order, RFU bits zero. The caller keeps to the 15-byte FOpts limit
    /// or the FRMPayload size of the data rate.
    public static func encode(_ commands: [DownlinkMACCommand]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(commands.reduce(0) { $0 + 1 + $1.payloadLength })
        for command in commands { command.encode(into: &bytes) }
        return bytes
    }
}
