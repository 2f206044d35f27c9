import Crypto
import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN
import Testing
import X509

/// Each trust policy alone, on the one thing it checks.
@Suite("Gateway trust policies")
struct GatewayTrustPolicyTests {
    let pki: TrustPKI

    init() throws { pki = try TrustPKI() }

    // MARK: LeafValidityPolicy

    @Test("LeafValidityPolicy: a leaf whose notAfter has passed is refused as expired")
    func expiredLeaf() async throws {
        let notAfter = pki.now.addingTimeInterval(-60)
        let leaf = try pki.craft(subject: try TrustPKI.subject(), notBefore: pki.now.addingTimeInterval(-86_400), notAfter: notAfter)
        let result = await LeafValidityPolicy().evaluate(try pki.candidate(leaf))
        #expect(result == .refused(.expired(notAfter: leaf.notValidAfter)))
    }

    @Test("LeafValidityPolicy: a leaf whose notBefore is ahead is refused as not yet valid")
    func notYetValidLeaf() async throws {
        let leaf = try pki.craft(subject: try TrustPKI.subject(), notBefore: pki.now.addingTimeInterval(3600), notAfter: pki.now.addingTimeInterval(86_400))
        let result = await LeafValidityPolicy().evaluate(try pki.candidate(leaf))
        #expect(result == .refused(.notYetValid(notBefore: leaf.notValidBefore)))
    }

    @Test("LeafValidityPolicy: a leaf is valid for its whole period and judged at the candidate's time")
    func validLeaf() async throws {
        let leaf = try pki.issue().certificate
        #expect(await LeafValidityPolicy().evaluate(try pki.candidate(leaf)) == .meetsPolicy)
        let later = leaf.notValidAfter.addingTimeInterval(1)
        #expect(await LeafValidityPolicy().evaluate(try pki.candidate(leaf, at: later)) == .refused(.expired(notAfter: leaf.notValidAfter)))
    }

    // MARK: ClientKeyPolicy

    @Test("ClientKeyPolicy: RSA of 2048 bits or more, P-256 and P-384 are accepted", arguments: [
        SubjectPublicKeyAlgorithm.rsa(modulusBits: 2048), .rsa(modulusBits: 4096), .ecdsa(.p256), .ecdsa(.p384),
    ])
    func acceptedKeys(algorithm: SubjectPublicKeyAlgorithm) async throws {
        let leaf = try pki.issue().certificate
        #expect(await ClientKeyPolicy().evaluate(try pki.candidate(leaf, keyAlgorithm: algorithm)) == .meetsPolicy)
    }

    @Test("ClientKeyPolicy: RSA under 2048 bits, other curves and other algorithms are refused as weak keys", arguments: [
        SubjectPublicKeyAlgorithm.rsa(modulusBits: 1024), .rsa(modulusBits: 2047), .ecdsa(.p521), .ecdsa(.other("1.3.132.0.10")), .ed25519,
        .other(algorithm: "1.2.840.10040.4.1"),
    ])
    func refusedKeys(algorithm: SubjectPublicKeyAlgorithm) async throws {
        let leaf = try pki.issue().certificate
        #expect(await ClientKeyPolicy().evaluate(try pki.candidate(leaf, keyAlgorithm: algorithm)) == .refused(.weakKey(algorithm)))
    }

    // MARK: ClientAuthenticationPolicy

    @Test("ClientAuthenticationPolicy: a leaf whose extended key usage lacks clientAuth is refused")
    func serverAuthOnly() async throws {
        let leaf = try pki.craft(subject: try TrustPKI.subject(), extensions: try TrustPKI.gatewayExtensions(usages: [.serverAuth]))
        #expect(await ClientAuthenticationPolicy().evaluate(try pki.candidate(leaf)) == .refused(.missingClientAuthentication))
    }

    @Test("ClientAuthenticationPolicy: a leaf without extended key usage is refused too")
    func noExtendedKeyUsage() async throws {
        let leaf = try pki.craft(subject: try TrustPKI.subject(), extensions: try TrustPKI.gatewayExtensions(usages: nil))
        #expect(await ClientAuthenticationPolicy().evaluate(try pki.candidate(leaf)) == .refused(.missingClientAuthentication))
    }

    @Test("ClientAuthenticationPolicy: clientAuth among other usages is accepted")
    func clientAuthAmongOthers() async throws {
        let leaf = try pki.craft(subject: try TrustPKI.subject(), extensions: try TrustPKI.gatewayExtensions(usages: [.serverAuth, .clientAuth]))
        #expect(await ClientAuthenticationPolicy().evaluate(try pki.candidate(leaf)) == .meetsPolicy)
    }

    // MARK: GatewaySubjectPolicy

    @Test("GatewaySubjectPolicy: a CN that is not an EUI is refused")
    func subjectNotEUI() async throws {
        let leaf = try pki.craft(subject: try DistinguishedName { CommonName("station.example.com") })
        guard case .refused(.subjectNotEUI) = await GatewaySubjectPolicy().evaluate(try pki.candidate(leaf)) else {
            Issue.record("a non-EUI CN was not refused as subjectNotEUI")
            return
        }
    }

    @Test("GatewaySubjectPolicy: the CN of an issued certificate meets the policy")
    func subjectEUI() async throws {
        #expect(await GatewaySubjectPolicy().evaluate(try pki.candidate(try pki.issue().certificate)) == .meetsPolicy)
    }

    // MARK: TrustedChainPolicy

    @Test("TrustedChainPolicy: a leaf alone chains through our issuing CA, as curl --cert sends it")
    func leafOnlyChains() async throws {
        let policy = TrustedChainPolicy(trustStore: pki.trustStore())
        #expect(await policy.evaluate(try pki.candidate(try pki.issue().certificate)) == .meetsPolicy)
    }

    @Test("TrustedChainPolicy: a leaf from an unknown CA is refused as an untrusted chain")
    func unknownCA() async throws {
        let stranger = try TrustPKI.makeForeignCA(now: pki.now)
        let leaf = try TrustPKI.leaf(signedBy: stranger, now: pki.now)
        let policy = TrustedChainPolicy(trustStore: pki.trustStore())
        #expect(await policy.evaluate(try pki.candidate(leaf, presenting: [stranger.certificate])) == .refused(.untrustedChain))
    }

    @Test("TrustedChainPolicy: an intermediate the peer sends completes the chain, but never anchors it")
    func presentedIntermediate() async throws {
        let rootOnly = GatewayTrustStore(GatewayTrustStore.Snapshot(anchors: [pki.root], intermediates: []))
        let policy = TrustedChainPolicy(trustStore: rootOnly)
        let leaf = try pki.issue().certificate
        #expect(await policy.evaluate(try pki.candidate(leaf)) == .refused(.untrustedChain))
        #expect(await policy.evaluate(try pki.candidate(leaf, presenting: [pki.issuing])) == .meetsPolicy)

        let issuingOnly = TrustedChainPolicy(trustStore: GatewayTrustStore(GatewayTrustStore.Snapshot(anchors: [], intermediates: [pki.issuing])))
        #expect(await issuingOnly.evaluate(try pki.candidate(leaf, presenting: [pki.issuing, pki.root])) == .refused(.untrustedChain))
    }

    @Test("TrustedChainPolicy: a chain through an expired issuing CA is refused, though the leaf is valid")
    func expiredIssuingCA() async throws {
        let now = Date()
        let old = try TrustPKI(now: now.addingTimeInterval(-11 * 365 * 86_400))
        #expect(old.issuing.notValidAfter < now && old.root.notValidAfter > now)
        let leaf = try old.craft(subject: try TrustPKI.subject(), notBefore: now.addingTimeInterval(-60), notAfter: now.addingTimeInterval(86_400))
        let policy = TrustedChainPolicy(trustStore: old.trustStore())
        #expect(await policy.evaluate(try old.candidate(leaf, at: now)) == .refused(.untrustedChain))
    }

    @Test("TrustedChainPolicy: a vendor leaf whose extended key usage is critical still chains")
    func criticalExtendedKeyUsage() async throws {
        let leaf = try pki.craft(subject: try TrustPKI.subject(), extensions: try TrustPKI.gatewayExtensions(criticalUsage: true))
        #expect(await TrustedChainPolicy(trustStore: pki.trustStore()).evaluate(try pki.candidate(leaf)) == .meetsPolicy)
    }

    @Test("TrustedChainPolicy: with no CA configured, nothing chains")
    func emptyStore() async throws {
        let policy = TrustedChainPolicy(trustStore: GatewayTrustStore())
        #expect(await policy.evaluate(try pki.candidate(try pki.issue().certificate)) == .refused(.untrustedChain))
    }

    // MARK: RevocationPolicy

    @Test("RevocationPolicy: a serial in the live revocation set is refused at once")
    func revokedSerial() async throws {
        let credentials = try pki.issue()
        let revocation = RevocationState()
        let policy = RevocationPolicy(revocation: revocation)
        #expect(await policy.evaluate(try pki.candidate(credentials.certificate)) == .meetsPolicy)
        revocation.markRevoked(serials: [credentials.serial])
        #expect(await policy.evaluate(try pki.candidate(credentials.certificate)) == .refused(.revoked(serial: credentials.serial)))
    }

    @Test("RevocationPolicy: a serial revoked in upper case matches the certificate")
    func revokedSerialAnyCase() async throws {
        let credentials = try pki.issue()
        let policy = RevocationPolicy(revocation: RevocationState(revokedSerials: [credentials.serial.uppercased()]))
        #expect(await policy.evaluate(try pki.candidate(credentials.certificate)) == .refused(.revoked(serial: credentials.serial)))
    }

    // MARK: RegisteredGatewayPolicy

    @Test("RegisteredGatewayPolicy: a registered gateway meets the policy, an unregistered one is refused")
    func registration() async throws {
        let policy = RegisteredGatewayPolicy(directory: TrustDirectory(registered: [TrustPKI.gateway]))
        #expect(await policy.evaluate(try pki.candidate(try pki.issue().certificate)) == .meetsPolicy)
        let stranger = try pki.issue(TrustPKI.unregisteredGateway).certificate
        #expect(await policy.evaluate(try pki.candidate(stranger)) == .refused(.unregisteredGateway(TrustPKI.unregisteredGateway)))
    }

    @Test("RegisteredGatewayPolicy: a directory that fails refuses with its own reason, never admits")
    func directoryFailure() async throws {
        let policy = RegisteredGatewayPolicy(directory: TrustDirectory(registered: [TrustPKI.gateway], failing: true))
        let result = await policy.evaluate(try pki.candidate(try pki.issue().certificate))
        #expect(result == .refused(.directoryUnavailable(TrustPKI.gateway, error: "the database is unreachable")))
    }
}
