import Crypto
import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN
import Testing
import X509

/// ``VerifiedChainCache`` through ``TrustedChainPolicy`` and the whole verifier: a chain verified
/// once answers immediately, and never past a trust change, outside the validity of every
/// certificate of the chain, or without an intermediate it needed from the peer.
@Suite("Verified chain cache")
struct VerifiedChainCacheTests {
    let pki: TrustPKI

    init() throws { pki = try TrustPKI() }

    @Test("a chain the Verifier accepted is answered immediately the next time, and a refused one is not remembered")
    func remembered() async throws {
        let policy = TrustedChainPolicy(trustStore: pki.trustStore())
        let candidate = try pki.candidate(try pki.issue().certificate)
        #expect(policy.evaluateImmediately(candidate) == nil)
        #expect(await policy.evaluate(candidate) == .meetsPolicy)
        #expect(policy.evaluateImmediately(candidate) == .meetsPolicy)
        #expect(policy.verifiedChains.count == 1)

        let stranger = try TrustPKI.makeForeignCA(now: pki.now)
        let foreign = try pki.candidate(try TrustPKI.leaf(signedBy: stranger, now: pki.now), presenting: [stranger.certificate])
        #expect(await policy.evaluate(foreign) == .refused(.untrustedChain))
        #expect(policy.evaluateImmediately(foreign) == nil)
        #expect(policy.verifiedChains.count == 1)
    }

    @Test("a trust-store change forgets remembered chains: a removed CA refuses at the next handshake, a re-added one is verified again")
    func trustChangeInvalidates() async throws {
        let trustStore = pki.trustStore()
        let policy = TrustedChainPolicy(trustStore: trustStore)
        let candidate = try pki.candidate(try pki.issue().certificate)
        #expect(await policy.evaluate(candidate) == .meetsPolicy)
        #expect(policy.evaluateImmediately(candidate) == .meetsPolicy)

        let vendor = try TrustPKI.makeForeignCA(now: pki.now, name: "Vendor CA")
        trustStore.replace(with: GatewayTrustStore.Snapshot(anchors: [vendor.certificate], intermediates: []))
        #expect(policy.evaluateImmediately(candidate) == nil)
        #expect(await policy.evaluate(candidate) == .refused(.untrustedChain))

        trustStore.replace(with: pki.trustStore().snapshot)
        #expect(policy.evaluateImmediately(candidate) == nil, "a chain from before the change answered under a new snapshot")
        #expect(await policy.evaluate(candidate) == .meetsPolicy)
        #expect(policy.evaluateImmediately(candidate) == .meetsPolicy)
    }

    @Test("a verification that finishes after a trust change is not remembered for the new trust")
    func lateResultIgnored() async throws {
        let cache = VerifiedChainCache()
        let old = pki.trustStore().snapshot
        let new = pki.trustStore().snapshot
        #expect(new.version > old.version)
        let leaf = try pki.issue().certificate
        let candidate = try pki.candidate(leaf)
        cache.remember([leaf, pki.issuing, pki.root], for: candidate, snapshot: new)
        cache.remember([leaf, pki.issuing, pki.root], for: try pki.candidate(try pki.issue().certificate), snapshot: old)
        #expect(cache.count == 1)
        #expect(!cache.contains(candidate, snapshotVersion: old.version))
        #expect(cache.contains(candidate, snapshotVersion: new.version))
    }

    @Test("with the chain remembered, an expired or not-yet-valid leaf is still refused, with its reason")
    func expiryWithCachedChain() async throws {
        let harness = TrustVerifierHarness(pki: pki, directory: TrustDirectory(registered: [TrustPKI.gateway], inMemory: true))
        let credentials = try pki.issue(validityDays: 2)
        let chain = [try TrustPKI.der(credentials.certificate)]
        #expect(await harness.verifier.verify(peerChainDER: chain, remoteAddress: nil).map(\.eui) == .success(TrustPKI.gateway))
        #expect((try? harness.verifier.verifyImmediately(peerChainDER: chain, remoteAddress: nil)?.get()) != nil)

        let notAfter = credentials.certificate.notValidAfter
        harness.clock.set(notAfter.addingTimeInterval(1))
        #expect(harness.verifier.verifyImmediately(peerChainDER: chain, remoteAddress: nil) == .failure(.expired(notAfter: notAfter)))
        let notBefore = credentials.certificate.notValidBefore
        harness.clock.set(notBefore.addingTimeInterval(-1))
        #expect(harness.verifier.verifyImmediately(peerChainDER: chain, remoteAddress: nil) == .failure(.notYetValid(notBefore: notBefore)))
        #expect(harness.observation.refusals(.expired) == 1)
        #expect(harness.observation.refusals(.notYetValid) == 1)

        // The chain policy alone, without the leaf check in front of it, does not answer from memory either.
        let policy = try #require(harness.verifier.policies.compactMap { $0 as? TrustedChainPolicy }.first)
        #expect(policy.verifiedChains.count == 1)
        let late = try pki.candidate(credentials.certificate, at: notAfter.addingTimeInterval(1))
        #expect(policy.evaluateImmediately(late) == nil)
        #expect(await policy.evaluate(late) == .refused(.untrustedChain))
        let early = try pki.candidate(credentials.certificate, at: notBefore.addingTimeInterval(-1))
        #expect(policy.evaluateImmediately(early) == nil)
        #expect(await policy.evaluate(early) == .refused(.untrustedChain))
        #expect(policy.evaluateImmediately(try pki.candidate(credentials.certificate, at: notAfter)) == .meetsPolicy)
    }

    @Test("a remembered chain stops answering when a CA of the chain expires, though the leaf is still valid")
    func caExpiresBeforeLeaf() async throws {
        let shortLived = try Self.authority(now: pki.now, lifetime: 3600)
        let leaf = try TrustPKI.leaf(signedBy: shortLived, now: pki.now)
        #expect(leaf.notValidAfter > shortLived.certificate.notValidAfter)
        let policy = TrustedChainPolicy(trustStore: GatewayTrustStore(GatewayTrustStore.Snapshot(anchors: [shortLived.certificate], intermediates: [])))
        #expect(await policy.evaluate(try pki.candidate(leaf)) == .meetsPolicy)
        #expect(policy.evaluateImmediately(try pki.candidate(leaf)) == .meetsPolicy)
        let afterCA = try pki.candidate(leaf, at: pki.now.addingTimeInterval(2 * 3600))
        #expect(policy.evaluateImmediately(afterCA) == nil)
        #expect(await policy.evaluate(afterCA) == .refused(.untrustedChain))
    }

    @Test("a chain through an intermediate the peer sent answers only when the peer sends it again")
    func presentedIntermediateRequired() async throws {
        let policy = TrustedChainPolicy(trustStore: GatewayTrustStore(GatewayTrustStore.Snapshot(anchors: [pki.root], intermediates: [])))
        let leaf = try pki.issue().certificate
        #expect(await policy.evaluate(try pki.candidate(leaf, presenting: [pki.issuing])) == .meetsPolicy)
        #expect(policy.evaluateImmediately(try pki.candidate(leaf, presenting: [pki.issuing])) == .meetsPolicy)
        #expect(policy.evaluateImmediately(try pki.candidate(leaf)) == nil)
        #expect(await policy.evaluate(try pki.candidate(leaf)) == .refused(.untrustedChain))
    }

    @Test("the cache holds at most its bound, dropping expired entries first")
    func bounded() async throws {
        let cache = VerifiedChainCache(maximumEntries: 2)
        let snapshot = pki.trustStore().snapshot
        let short = try pki.craft(subject: try TrustPKI.subject(), notBefore: pki.now.addingTimeInterval(-3600), notAfter: pki.now.addingTimeInterval(60))
        let long = [try pki.issue().certificate, try pki.issue().certificate]
        cache.remember([short, pki.issuing, pki.root], for: try pki.candidate(short), snapshot: snapshot)
        cache.remember([long[0], pki.issuing, pki.root], for: try pki.candidate(long[0]), snapshot: snapshot)
        // Full: a third entry, remembered an hour later, pushes out the one that expired meanwhile.
        let later = pki.now.addingTimeInterval(3600)
        cache.remember([long[1], pki.issuing, pki.root], for: try pki.candidate(long[1], at: later), snapshot: snapshot)
        #expect(cache.count == 2)
        #expect(cache.contains(try pki.candidate(long[0], at: later), snapshotVersion: snapshot.version))
        #expect(cache.contains(try pki.candidate(long[1], at: later), snapshotVersion: snapshot.version))
    }

    /// A self-signed CA valid from an hour before `now` for `lifetime` seconds after it.
    static func authority(now: Date, lifetime: TimeInterval) throws -> (certificate: Certificate, key: Certificate.PrivateKey) {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName { CommonName("Short-lived CA") }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(lifetime),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: key)
        return (certificate, key)
    }
}
