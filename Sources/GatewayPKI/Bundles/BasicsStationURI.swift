import Foundation

/// The contents of `cups.uri` or `tc.uri`, checked against what LoRa Basics Station 2.0.6 accepts
/// (reference: basics-station-protocol.md §2.2 and §3.2): `scheme://host:port`, an explicit
/// port, no path, fewer than 128 characters. CUPS speaks HTTP(S), the LNS ("TC") WebSocket.
public struct BasicsStationURI: Sendable, Hashable, CustomStringConvertible {
    /// Which station connection a URI is for.
    public enum Service: String, Sendable, Hashable, CustomStringConvertible {
        /// Configuration and update server, `cups.uri`.
        case cups
        /// Traffic controller (LNS), `tc.uri`.
        case tc

        /// Secure scheme first.
        public var allowedSchemes: [String] {
            switch self {
            case .cups: ["https", "http"]
            case .tc: ["wss", "ws"]
            }
        }

        public var description: String {
            switch self {
            case .cups: "CUPS"
            case .tc: "LNS (tc)"
            }
        }
    }

    /// The URI as written to the file, e.g. `https://cups.example.com:443`.
    public let text: String
    public let service: Service
    public let scheme: String
    /// Host name, IPv4 address, or IPv6 address in brackets.
    public let host: String
    public let port: UInt16

    /// Whether the station will use TLS (`https`/`wss`); `http`/`ws` mean no TLS at all (§1).
    public var usesTLS: Bool { scheme == service.allowedSchemes[0] }

    public var description: String { text }

    public init(_ text: String, for service: Service) throws(BasicsStationBundleError) {
        // The CUPS response carries the URI with a one-byte length and the station reads it in
        // its first buffer: < 128 characters (§2.2).
        guard text.utf8.count < 128 else { throw .uriTooLong(service, length: text.utf8.count) }
        guard text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .uriMalformed(service, reason: "only printable ASCII without spaces is allowed")
        }
        guard let separator = text.range(of: "://") else { throw .uriMalformed(service, reason: "no scheme:// prefix") }
        let scheme = String(text[..<separator.lowerBound])
        guard service.allowedSchemes.contains(scheme) else { throw .uriSchemeNotAllowed(service, scheme: scheme) }
        let authority = text[separator.upperBound...]
        if authority.contains("/") { throw .uriHasPath(service) }
        if authority.contains("?") || authority.contains("#") {
            throw .uriMalformed(service, reason: "a query or fragment is not allowed")
        }
        if authority.contains("@") { throw .uriMalformed(service, reason: "user information is not allowed") }

        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            // An IPv6 literal, RFC 3986 §3.2.2.
            guard let close = authority.firstIndex(of: "]") else { throw .uriMalformed(service, reason: "unclosed IPv6 bracket") }
            host = authority[...close]
            let rest = authority[authority.index(after: close)...]
            portText = rest.hasPrefix(":") ? rest.dropFirst() : (rest.isEmpty ? nil : rest)
            guard host.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), host.count > 2 else {
                throw .uriMalformed(service, reason: "invalid IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
            portText = nil
        }
        guard !host.isEmpty else { throw .uriMalformed(service, reason: "no host") }
        if !host.hasPrefix("[") {
            guard host.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }) else {
                throw .uriMalformed(service, reason: "invalid host name \"\(host)\"")
            }
        }
        guard let portText else { throw .uriMissingPort(service) }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = UInt16(portText), port > 0
        else {
            throw .uriMalformed(service, reason: "the port must be a number from 1 to 65535")
        }
        self.text = text
        self.service = service
        self.scheme = scheme
        self.host = String(host)
        self.port = port
    }
}
