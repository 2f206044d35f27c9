import Foundation
import LoRaWAN

/// Session keys and identifiers of the ABP tests, with the secrets listed so a test can check that
/// none of them comes back in an answer, an output or a log.
enum ABPTestData {
    static let nwkSKey = "3c1f9a0d5e7b2c4f6a8d0e1b3c5d7f90"
    static let fNwkSIntKey = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    static let sNwkSIntKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    static let nwkSEncKey = "5566778899aabbccddeeff0011223344"
    static let appSKey = "d0c0b0a09080706050403020100f0e0d"

    static var secrets: [String] {
        [nwkSKey, fNwkSIntKey, sNwkSIntKey, nwkSEncKey, appSKey].flatMap { [$0, $0.uppercased()] }
    }

    /// The secrets that occur in `text`; empty when nothing leaked.
    static func leaks(in text: String) -> [String] {
        secrets.filter { text.contains($0) }
    }

    static func key<Role>(_ hex: String) -> AES128Key<Role> {
        guard let key = try? AES128Key<Role>(parsing: hex) else { preconditionFailure("test keys are 32 hex digits") }
        return key
    }

    /// A DevAddr inside NetID 000000's block (the default configuration's), and one outside it.
    static let devAddr = DevAddr(netID: NetID(0)!, nwkAddr: 0x0001_0203)
    static let foreignDevAddr = DevAddr(0x2601_1BDA)
}
