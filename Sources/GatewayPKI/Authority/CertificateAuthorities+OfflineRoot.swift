extension CertificateAuthorities {
    /// The root CA's private key as PKCS #8 PEM, for the operator to keep offline.
    ///
    /// The root signs only the issuing CA (and its replacement, years later), so it need not stay on
    /// a server. After handing the PEM over, the caller removes the key from storage
    /// (`AuthorityRepository.removePrivateKey`) with a `caRootKeyExported` audit event. Refuses an
    /// issuing or vendor CA, and a root whose key is already gone.
    public static func exportRootPrivateKey(_ root: AuthorityRecord) throws(CertificateAuthorityError) -> PrivateKeyPEM {
        guard root.role == .root else { throw .notARoot(authorityID: root.id, role: root.role) }
        guard let material = root.privateKey else { throw .noPrivateKey(authorityID: root.id) }
        let key: SoftwareKey
        do { key = try SoftwareKey(pkcs8DER: material.exportDER()) } catch {
            throw .unreadablePrivateKey(authorityID: root.id, reason: error.reason)
        }
        return key.pkcs8PEM
    }
}
