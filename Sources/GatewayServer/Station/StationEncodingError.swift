import GatewayPKI

/// Why Gatehouse cannot send something to a LoRa Basics Station in the form it asked for: a URI or a
/// credential the station would reject, a downlink that misses what its device class needs, or a frame
/// larger than the station can receive. These are faults on our side (configuration, a Network Server
/// bug), never the station's; no case carries key material.
public enum StationEncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A CUPS or LNS URI that the station would not accept.
    case invalidURI(BasicsStationBundleError)
    /// A URI meant for one service (CUPS) was given for the other (LNS).
    case uriForWrongService(expected: BasicsStationURI.Service, actual: BasicsStationURI.Service)
    /// The router-info `uri` is not `ws[s]://host:port/path` with fewer than 128 characters.
    case invalidTrafficURI(reason: String)
    /// One part of a credential blob is not a DER SEQUENCE the station can split off.
    case invalidCredentialPart(StationCredentialBlob.Part, reason: String)
    /// The credential blob does not fit the CUPS response's 16-bit length.
    case credentialsTooLong(size: Int, limit: Int)
    /// The private key cannot be delivered to a station. The reason never quotes key bytes.
    case unsupportedPrivateKey(reason: String)
    /// A downlink lacks, or carries an impossible, value for its device class.
    case invalidDownlink(field: String, reason: String)
    /// A value that JSON or the station cannot carry (a non-finite time, an over-long text).
    case invalidValue(field: String, reason: String)
    /// The encoded message would exceed ``StationFrameLimits/maximumOutboundFrameBytes``.
    case frameTooLarge(size: Int, limit: Int)

    public var description: String {
        switch self {
        case .invalidURI(let error):
            error.description
        case .uriForWrongService(let expected, let actual):
            "A \(actual) URI was given where the \(expected) URI belongs."
        case .invalidTrafficURI(let reason):
            "The LNS traffic URI is not acceptable to Basics Station: \(reason)."
        case .invalidCredentialPart(let part, let reason):
            "The \(part) of the credentials cannot be delivered to Basics Station: \(reason)."
        case .credentialsTooLong(let size, let limit):
            "The credentials are \(size) bytes; a CUPS response carries at most \(limit)."
        case .unsupportedPrivateKey(let reason):
            "The private key cannot be delivered to Basics Station: \(reason)."
        case .invalidDownlink(let field, let reason):
            "The downlink cannot be sent: \(field) \(reason)."
        case .invalidValue(let field, let reason):
            "The value of \(field) cannot be sent: \(reason)."
        case .frameTooLarge(let size, let limit):
            "The message to the station would be \(size) bytes, more than the \(limit) bytes allowed."
        }
    }
}
