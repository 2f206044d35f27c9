import LoRaWAN

/// What the Gateway PKI refuses, each with a sentence for the operator. The HTTP layer maps these to
/// 4xx statuses in one place; none of them is a server fault.
public enum PKIError: Error, Sendable, CustomStringConvertible {
    case gatewayNotFound(EUI64)
    case duplicateGateway(EUI64)
    case invalidField(field: String, reason: String)
    case noIssuingAuthority
    case authorityAlreadyInitialized
    case authorityNotFound(String)
    case certificateNotFound(serial: String)
    case authority(CertificateAuthorityError)
    case authorityImport(AuthorityImportError)
    case issuance(GatewayCertificateIssuanceError)

    public var description: String {
        switch self {
        case .gatewayNotFound(let eui): "no gateway with EUI \(eui) is registered"
        case .duplicateGateway(let eui): "a gateway with EUI \(eui) is already registered"
        case .invalidField(let field, let reason): "\(field): \(reason)"
        case .noIssuingAuthority: "no certificate authority yet: run `gatehouse ca init` or import one"
        case .authorityAlreadyInitialized: "a certificate authority already exists; import another CA to replace it"
        case .authorityNotFound(let id): "no certificate authority with id \(id)"
        case .certificateNotFound(let serial): "no certificate with serial \(serial)"
        case .authority(let error): "\(error)"
        case .authorityImport(let error): "\(error)"
        case .issuance(let error): "\(error)"
        }
    }
}
