import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN
import Synchronization

/// A verifier as the server wires it (trust store after ca init, a directory with the test
/// gateway registered, a live revocation set, a clock the test can move), logging and counting
/// into an observation the test can read.
struct TrustVerifierHarness {
    static let remoteAddress = "[IPv4]192.0.2.7/192.0.2.7:40123"

    let pki: TrustPKI
    let observation = TrustObservation()
    let directory: TrustDirectory
    let revocation = RevocationState()
    let trustStore: GatewayTrustStore
    let clock: TrustClock
    let verifier: GatewayHandshakeVerifier

    init(pki: TrustPKI, directory: TrustDirectory = TrustDirectory(registered: [TrustPKI.gateway]), now: Date? = nil) {
        self.pki = pki
        self.directory = directory
        trustStore = pki.trustStore()
        let clock = TrustClock(now ?? pki.now)
        self.clock = clock
        verifier = GatewayHandshakeVerifier(
            policies: GatewayHandshakeVerifier.standardPolicies(trustStore: trustStore, directory: directory, revocation: revocation),
            clock: { clock.now }, reporter: observation.reporter())
    }
}

/// The verifier's time, fixed until a test moves it.
final class TrustClock: Sendable {
    private let time: Mutex<Date>

    init(_ now: Date) { time = Mutex(now) }

    var now: Date { time.withLock { $0 } }

    func set(_ now: Date) { time.withLock { $0 = now } }
}
