/// The repositories the Gateway PKI works on, as `Storage` provides them.
public struct PKIStore: Sendable {
    public let gateways: any GatewayRepository
    public let certificates: any CertificateRepository
    public let authorities: any AuthorityRepository
    public let audit: any AuditRepository
    public let crls: any CRLRepository

    public init(
        gateways: any GatewayRepository, certificates: any CertificateRepository, authorities: any AuthorityRepository,
        audit: any AuditRepository, crls: any CRLRepository
    ) {
        self.gateways = gateways
        self.certificates = certificates
        self.authorities = authorities
        self.audit = audit
        self.crls = crls
    }
}
