/// Why bytes are not a valid LoRaWAN frame or MAC command. Every decoder in this module throws only
/// this type, so callers (the CLI, the Network Server, the fuzzer) can report a reason without a cast.
public enum FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes end before a field that must be there.
    case truncated(field: String, needed: Int, available: Int)
    /// The frame is longer than LoRaWAN allows or than its own header says.
    case tooLong(field: String, maximum: Int, actual: Int)
    /// A length the frame type fixes is wrong (a join-request is always 23 bytes).
    case wrongLength(message: String, expected: String, actual: Int)
    /// MHDR.Major is not LoRaWAN R1.
    case unsupportedMajor(UInt8)
    /// A field holds a value the specification reserves or forbids.
    case invalidField(field: String, reason: String)
    /// A MAC command identifier this direction does not define.
    case unknownMACCommand(cid: UInt8, direction: String)
    /// The message integrity code does not match.
    case micMismatch
    /// Text that should have been hex or an identifier is not.
    case malformedText(field: String, reason: String)

    public var description: String {
        switch self {
        case .truncated(let field, let needed, let available):
            "frame too short: \(field) needs \(needed) byte(s), \(available) left"
        case .tooLong(let field, let maximum, let actual):
            "\(field) is \(actual) bytes, longer than the maximum \(maximum)"
        case .wrongLength(let message, let expected, let actual):
            "a \(message) is \(expected) bytes, got \(actual)"
        case .unsupportedMajor(let major):
            "MHDR.Major \(major) is not LoRaWAN R1"
        case .invalidField(let field, let reason):
            "invalid \(field): \(reason)"
        case .unknownMACCommand(let cid, let direction):
            "unknown \(direction) MAC command CID 0x\(Hex.encode([cid], uppercase: true))"
        case .micMismatch:
            "MIC mismatch"
        case .malformedText(let field, let reason):
            "malformed \(field): \(reason)"
        }
    }
}
