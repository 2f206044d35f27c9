import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Testing
import X509

/// The verifier's fast path: a gateway whose chain was verified before and whose EUI the directory
/// holds in memory is decided without waiting, on the event loop, with the same decisions, logs
/// and counters as the task path.
@Suite("Gateway handshake verifier: deciding without waiting")
struct GatewayHandshakeFastPathTests {
    let pki: TrustPKI
    let harness: TrustVerifierHarness

    init() throws {
        pki = try TrustPKI()
        harness = TrustVerifierHarness(pki: pki, directory: TrustDirectory(registered: [TrustPKI.gateway], inMemory: true))
    }

    private func der(_ certificate: Certificate) throws -> [[UInt8]] { [try TrustPKI.der(certificate)] }

    @Test("a gateway seen before is decided immediately; its first handshake waits for the chain, and nothing is logged for that")
    func secondHandshakeIsImmediate() async throws {
        let credentials = try pki.issue()
        let chain = try der(credentials.certificate)
        #expect(harness.verifier.verifyImmediately(peerChainDER: chain, remoteAddress: nil) == nil)
        #expect(harness.observation.log.all.isEmpty)
        #expect(harness.observation.admissions == 0)

        #expect(await harness.verifier.verify(peerChainDER: chain, remoteAddress: nil).map(\.eui) == .success(TrustPKI.gateway))
        let again = try #require(harness.verifier.verifyImmediately(peerChainDER: chain, remoteAddress: TrustVerifierHarness.remoteAddress))
        let identity = try again.get()
        #expect(identity.serial == credentials.serial)
        #expect(identity.fingerprintSHA256 == credentials.fingerprintSHA256)
        #expect(harness.observation.admissions == 2)
        #expect(harness.observation.log.all.last?.metadata["remote"] == TrustVerifierHarness.remoteAddress)
    }

    @Test("a refusal on the fast path is logged and counted once with its reason: revoked after the chain was remembered")
    func revokedOnFastPath() async throws {
        let credentials = try pki.issue()
        let chain = try der(credentials.certificate)
        _ = await harness.verifier.verify(peerChainDER: chain, remoteAddress: nil)
        harness.revocation.markRevoked(serials: [credentials.serial])
        let result = harness.verifier.verifyImmediately(peerChainDER: chain, remoteAddress: TrustVerifierHarness.remoteAddress)
        #expect(result == .failure(.revoked(serial: credentials.serial)))
        #expect(harness.observation.refusals(.revoked) == 1)
        #expect(harness.observation.allRefusals == 1)
        let line = try #require(harness.observation.log.refusals(labelled: "revoked").first)
        #expect(line.metadata["gateway"] == TrustPKI.gateway.description)
        #expect(line.metadata["remote"] == TrustVerifierHarness.remoteAddress)
    }

    @Test("the leaf's own refusals need no chain: an expired, a non-EUI and a weak-key leaf are refused immediately, each with its reason")
    func leafRefusalsAreImmediate() throws {
        let expired = try pki.craft(subject: try TrustPKI.subject(), notBefore: pki.now.addingTimeInterval(-86_400), notAfter: pki.now.addingTimeInterval(-1))
        #expect(harness.verifier.verifyImmediately(peerChainDER: try der(expired), remoteAddress: nil) == .failure(.expired(notAfter: expired.notValidAfter)))
        let notEUI = try pki.craft(subject: try DistinguishedName { CommonName("gateway-1") })
        guard case .failure(.subjectNotEUI) = harness.verifier.verifyImmediately(peerChainDER: try der(notEUI), remoteAddress: nil) else {
            Issue.record("a CN that is not an EUI was not refused immediately")
            return
        }
        #expect(harness.verifier.verifyImmediately(peerChainDER: [], remoteAddress: nil) == .failure(.noCertificate))
        #expect(harness.observation.refusals(.expired) == 1)
        #expect(harness.observation.refusals(.subjectNotEUI) == 1)
        #expect(harness.observation.refusals(.noCertificate) == 1)
        #expect(harness.observation.allRefusals == 3)
        #expect(harness.observation.log.all.count == 3)
    }

    @Test("an unregistered EUI the in-memory directory rules out is refused immediately, with its reason")
    func unregisteredImmediately() async throws {
        let chain = try der(try pki.issue(TrustPKI.unregisteredGateway).certificate)
        _ = await harness.verifier.verify(peerChainDER: chain, remoteAddress: nil)
        let result = harness.verifier.verifyImmediately(peerChainDER: chain, remoteAddress: nil)
        #expect(result == .failure(.unregisteredGateway(TrustPKI.unregisteredGateway)))
        #expect(harness.observation.refusals(.unregisteredGateway) == 2)
        #expect(harness.observation.log.refusals(labelled: "unregistered_gateway").allSatisfy { $0.metadata["gateway"] == TrustPKI.unregisteredGateway.description })
    }

    @Test("a directory that must look the gateway up sends the handshake to the task path, with the same decision")
    func directoryMissWaits() async throws {
        let storageLike = TrustVerifierHarness(pki: pki)
        let chain = try der(try pki.issue().certificate)
        #expect(await storageLike.verifier.verify(peerChainDER: chain, remoteAddress: nil).map(\.eui) == .success(TrustPKI.gateway))
        #expect(storageLike.verifier.verifyImmediately(peerChainDER: chain, remoteAddress: nil) == nil)
        #expect(await storageLike.verifier.verify(peerChainDER: chain, remoteAddress: nil).map(\.eui) == .success(TrustPKI.gateway))
        #expect(storageLike.directory.lookupCount == 2)
        #expect(storageLike.observation.admissions == 2)
    }

    @Test("over real TLS, a gateway's second handshake completes on the fast path, and after its revocation is refused there with the reason", arguments: [TLSVersion.tlsv12, .tlsv13])
    func realHandshakes(version: TLSVersion) async throws {
        let livePKI = try TrustPKI(now: Date())  // BoringSSL checks the server certificate's dates against the real clock
        let live = TrustVerifierHarness(pki: livePKI, directory: TrustDirectory(registered: [TrustPKI.gateway], inMemory: true))
        let credentials = try livePKI.issue()
        let chain = [try TrustPKI.der(credentials.certificate)]
        let server = try await TrustHandshakeServer(verifier: live.verifier)
        do {
            #expect(try await server.connect(presenting: [credentials.certificate], key: credentials.privateKey, tlsVersion: version) == .completed)
            #expect(live.verifier.verifyImmediately(peerChainDER: chain, remoteAddress: nil) != nil, "the chain was not remembered")
            #expect(try await server.connect(presenting: [credentials.certificate], key: credentials.privateKey, tlsVersion: version) == .completed)
            live.revocation.markRevoked(serials: [credentials.serial])
            let refused = try await server.connect(presenting: [credentials.certificate], key: credentials.privateKey, tlsVersion: version)
            guard case .failed = refused else {
                Issue.record("a revoked certificate's handshake ended \(String(describing: refused))")
                try await server.shutdown()
                return
            }
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
        #expect(live.observation.admissions == 3)  // two handshakes and the probe through verifyImmediately
        #expect(live.observation.refusals(.revoked) == 1)
        #expect(live.observation.allRefusals == 1)
        let line = try #require(live.observation.log.refusals(labelled: "revoked").first)
        #expect(line.metadata["gateway"] == TrustPKI.gateway.description)
        #expect(line.metadata["remote"]?.contains("127.0.0.1") == true)
    }

    @Test("the TLS callback completes the promise before it returns when every policy answers immediately, and later otherwise")
    func callbackCompletesOnTheEventLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await expectCallbackDecisions(on: group.next())
        } catch {
            try await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }

    private func expectCallbackDecisions(on loop: any EventLoop) async throws {
        let credentials = try pki.issue()
        let certificates = [try NIOSSLCertificate(bytes: try TrustPKI.der(credentials.certificate), format: .der)]
        let verifier = harness.verifier

        /// Calls the callback on the loop; whether its promise was complete when it returned, and the promise.
        func call() async throws -> (inline: Bool, future: EventLoopFuture<NIOSSLVerificationResultWithMetadata>) {
            try await loop.submit {
                let promise = loop.makePromise(of: NIOSSLVerificationResultWithMetadata.self)
                verifier.verificationCallback(remoteAddress: "test")(certificates, promise)
                let completed = TrustFlag()
                promise.futureResult.whenComplete { _ in completed.set() }  // inline when already complete, on the loop
                return (completed.isSet, promise.futureResult)
            }.get()
        }

        let first = try await call()
        #expect(!first.inline, "a chain never verified was decided without the Verifier")
        guard case .certificateVerified = try await first.future.get() else { Issue.record("the first handshake was refused"); return }
        let second = try await call()
        #expect(second.inline, "a gateway seen before still went through a task")
        guard case .certificateVerified = try await second.future.get() else { Issue.record("the second handshake was refused"); return }
        #expect(harness.observation.admissions == 2)
    }
}

/// A flag set from a future callback.
final class TrustFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
