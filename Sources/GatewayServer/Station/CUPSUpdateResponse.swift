import GatewayPKI

/// The binary body of a CUPS `200` answer (basics-station-protocol §2.2): new URIs and credentials for
/// the station, each absent when unchanged. All lengths are little-endian:
///
/// ```
/// u8  cupsUriLen  | cupsUri      u8  tcUriLen  | tcUri
/// u16 cupsCredLen | cupsCred     u16 tcCredLen | tcCred
/// u32 sigLen = 0                 u32 updLen = 0
/// ```
///
/// Gatehouse never sends firmware updates (the station would execute them), so the signature and
/// update segments are always empty; "nothing to change" is 14 zero bytes. Send only what differs
/// from the request: a station that gets its current CUPS URI or credentials again reconnects at
/// once, in a loop.
public struct CUPSUpdateResponse: Sendable, Equatable, CustomStringConvertible {
    public let cupsURI: BasicsStationURI?
    public let tcURI: BasicsStationURI?
    public let cupsCredentials: StationCredentialBlob?
    public let tcCredentials: StationCredentialBlob?

    /// The answer that changes nothing.
    public static let noChanges = CUPSUpdateResponse(unchecked: nil, nil, nil, nil)

    private init(
        unchecked cupsURI: BasicsStationURI?, _ tcURI: BasicsStationURI?,
        _ cupsCredentials: StationCredentialBlob?, _ tcCredentials: StationCredentialBlob?
    ) {
        self.cupsURI = cupsURI
        self.tcURI = tcURI
        self.cupsCredentials = cupsCredentials
        self.tcCredentials = tcCredentials
    }

    /// An answer with checked URIs; each URI must be for its own service.
    public init(
        cupsURI: BasicsStationURI? = nil, tcURI: BasicsStationURI? = nil,
        cupsCredentials: StationCredentialBlob? = nil, tcCredentials: StationCredentialBlob? = nil
    ) throws(StationEncodingError) {
        if let cupsURI, cupsURI.service != .cups { throw .uriForWrongService(expected: .cups, actual: cupsURI.service) }
        if let tcURI, tcURI.service != .tc { throw .uriForWrongService(expected: .tc, actual: tcURI.service) }
        self.init(unchecked: cupsURI, tcURI, cupsCredentials, tcCredentials)
    }

    /// An answer with URI texts, checked against the station's rules: `https`/`http` for CUPS and
    /// `wss`/`ws` for the LNS, an explicit port, no path, fewer than 128 characters.
    public init(
        validatingCUPSURI cupsURI: String?, tcURI: String?,
        cupsCredentials: StationCredentialBlob? = nil, tcCredentials: StationCredentialBlob? = nil
    ) throws(StationEncodingError) {
        try self.init(
            cupsURI: try Self.uri(cupsURI, for: .cups), tcURI: try Self.uri(tcURI, for: .tc),
            cupsCredentials: cupsCredentials, tcCredentials: tcCredentials)
    }

    /// Whether the answer changes nothing (it encodes to 14 zero bytes).
    public var isEmpty: Bool { cupsURI == nil && tcURI == nil && cupsCredentials == nil && tcCredentials == nil }

    /// The response body. Its length is what `Content-Length` must say; the station refuses chunked
    /// encoding.
    public func encoded() -> [UInt8] {
        var body: [UInt8] = []
        let cupsURIBytes = Array((cupsURI?.text ?? "").utf8)
        let tcURIBytes = Array((tcURI?.text ?? "").utf8)
        let cupsCred = cupsCredentials?.exportBytes() ?? []
        let tcCred = tcCredentials?.exportBytes() ?? []
        body.reserveCapacity(14 + cupsURIBytes.count + tcURIBytes.count + cupsCred.count + tcCred.count)
        // BasicsStationURI keeps URIs under 128 bytes and StationCredentialBlob under 65,536 bytes,
        // so the narrowing conversions below are exact.
        body.append(UInt8(truncatingIfNeeded: cupsURIBytes.count))
        body += cupsURIBytes
        body.append(UInt8(truncatingIfNeeded: tcURIBytes.count))
        body += tcURIBytes
        Self.appendUInt16LE(cupsCred.count, to: &body)
        body += cupsCred
        Self.appendUInt16LE(tcCred.count, to: &body)
        body += tcCred
        body += [0, 0, 0, 0]  // sigLen: no signature
        body += [0, 0, 0, 0]  // updLen: no firmware update
        return body
    }

    public var description: String {
        var changes: [String] = []
        if let cupsURI { changes.append("cupsUri \(cupsURI)") }
        if let tcURI { changes.append("tcUri \(tcURI)") }
        if let cupsCredentials { changes.append("cupsCred \(cupsCredentials.count) bytes") }
        if let tcCredentials { changes.append("tcCred \(tcCredentials.count) bytes") }
        return "CUPSUpdateResponse(\(changes.isEmpty ? "no changes" : changes.joined(separator: ", ")))"
    }

    private static func uri(_ text: String?, for service: BasicsStationURI.Service) throws(StationEncodingError) -> BasicsStationURI? {
        guard let text else { return nil }
        do {
            return try BasicsStationURI(text, for: service)
        } catch {
            throw .invalidURI(error)
        }
    }

    private static func appendUInt16LE(_ value: Int, to body: inout [UInt8]) {
        body.append(UInt8(truncatingIfNeeded: value))
        body.append(UInt8(truncatingIfNeeded: value >> 8))
    }
}
