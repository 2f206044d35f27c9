import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN

/// A verifier as the server wires it (trust store after ca init, a directory with the test
/// gateway registered, a live revocation set, a fixed clock), logging and counting into an
/// observation the test can read.
struct TrustVerifierHarness {
    static let remoteAddress = "[IPv4]192.0.2.7/192.0.2.7:40123"

    let pki: TrustPKI
    let observation = TrustObservation()
    let directory: TrustDirectory
    let revocation = RevocationState()
    let trustStore: GatewayTrustStore
    let verifier: GatewayHandshakeVerifier

    init(pki: TrustPKI, directory: TrustDirectory = TrustDirectory(registered: [TrustPKI.gateway]), now: Date? = nil) {
        self.pki = pki
        self.directory = directory
        trustStore = pki.trustStore()
        let fixed = now ?? pki.now
        verifier = GatewayHandshakeVerifier(
            policies: GatewayHandshakeVerifier.standardPolicies(trustStore: trustStore, directory: directory, revocation: revocation),
            clock: { fixed }, reporter: observation.reporter())
    }
}
