import LoRaWAN

/// Who is asking the Join Server: a Network Server, named by its NetID, or an Application Server,
/// named by its AS-ID. Over HTTPS the client certificate proves it; in process the wiring states it.
/// A request's `SenderID` must name the same peer.
public enum BackendPeer: Hashable, Sendable, CustomStringConvertible {
    case networkServer(NetID)
    case applicationServer(ApplicationServerID)

    public var description: String {
        switch self {
        case .networkServer(let netID): "ns:\(netID)"
        case .applicationServer(let asID): "as:\(asID)"
        }
    }

    /// Reads `ns:<NetID>` or `as:<AS-ID>`, the form used in certificates, configuration and the CLI.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        if text.hasPrefix("ns:"), let netID = try? NetID(parsing: text.dropFirst(3)) {
            self = .networkServer(netID)
        } else if text.hasPrefix("as:"), let asID = ApplicationServerID(text.dropFirst(3)) {
            self = .applicationServer(asID)
        } else {
            return nil
        }
    }

    /// The `SenderID` this peer writes: the NetID in hex, or the AS-ID.
    public var senderID: String {
        switch self {
        case .networkServer(let netID): netID.description
        case .applicationServer(let asID): asID.rawValue
        }
    }
}

/// An Application Server's identifier (Backend Interfaces 1.0: a string, in practice a host name).
/// Restricted to what fits in a certificate name and a log line: 1-64 characters of letters, digits,
/// `.`, `-` and `_`.
public struct ApplicationServerID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ text: some StringProtocol) {
        let text = String(text)
        guard (1...64).contains(text.utf8.count),
            text.utf8.allSatisfy({ $0.isASCIILetterOrDigit || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        else { return nil }
        rawValue = text
    }

    public var description: String { rawValue }
}

extension UInt8 {
    fileprivate var isASCIILetterOrDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
}
