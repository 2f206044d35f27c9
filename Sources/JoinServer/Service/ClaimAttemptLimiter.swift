import Foundation
import LoRaWAN
import Synchronization

/// Limits wrong claim codes, per claimant and per device, so codes cannot be guessed: after
/// ``maximumFailures`` wrong attempts within ``window``, further attempts are refused until the window
/// has passed. In memory: a restart forgives, which costs a guesser a restart of our server per five tries.
final class ClaimAttemptLimiter: Sendable {
    static let maximumFailures = 5
    static let window: TimeInterval = 15 * 60

    private struct Failures {
        var byClaimant: [String: [Date]] = [:]
        var byDevice: [EUI64: [Date]] = [:]
    }

    private let failures = Mutex(Failures())

    func permits(claimant: String, device: EUI64, at time: Date) -> Bool {
        failures.withLock { state in
            let since = time.addingTimeInterval(-Self.window)
            state.byClaimant[claimant]?.removeAll { $0 < since }
            state.byDevice[device]?.removeAll { $0 < since }
            // Forget claimants and devices with no recent failure, so the tables stay small.
            if state.byClaimant[claimant]?.isEmpty == true { state.byClaimant[claimant] = nil }
            if state.byDevice[device]?.isEmpty == true { state.byDevice[device] = nil }
            return (state.byClaimant[claimant]?.count ?? 0) < Self.maximumFailures
                && (state.byDevice[device]?.count ?? 0) < Self.maximumFailures
        }
    }

    func recordFailure(claimant: String, device: EUI64, at time: Date) {
        failures.withLock { state in
            state.byClaimant[claimant, default: []].append(time)
            state.byDevice[device, default: []].append(time)
        }
    }
}
