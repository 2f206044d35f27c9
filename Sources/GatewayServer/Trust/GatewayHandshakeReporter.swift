import Logging
import LoRaWAN
import Metrics

/// Logs and counts every gateway handshake decision: one log line and one counter increment per
/// admission or refusal, wherever it was decided (the verifier, BoringSSL, the rate limiter).
///
/// Metrics: `gatehouse_gateway_handshake_refusals_total{reason="<label>"}` (one series per
/// ``GatewayHandshakeRefusal/Reason``, created up front so every reason shows as 0 before it
/// happens) and `gatehouse_gateway_handshake_admissions_total`.
public final class GatewayHandshakeReporter: Sendable {
    public static let refusalsLabel = "gatehouse_gateway_handshake_refusals_total"
    public static let admissionsLabel = "gatehouse_gateway_handshake_admissions_total"

    private let logger: Logger
    private let refusals: [GatewayHandshakeRefusal.Reason: Counter]
    private let admissions: Counter

    /// - Parameter metricsFactory: where the counters go; the process's bootstrapped factory by
    ///   default (create the reporter after `MetricsSystem` is bootstrapped).
    public init(logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory) {
        self.logger = logger
        refusals = Dictionary(uniqueKeysWithValues: GatewayHandshakeRefusal.Reason.allCases.map { reason in
            (reason, Counter(label: Self.refusalsLabel, dimensions: [("reason", reason.rawValue)], factory: metricsFactory))
        })
        admissions = Counter(label: Self.admissionsLabel, factory: metricsFactory)
    }

    /// A gateway's handshake completed.
    public func admitted(_ identity: GatewayIdentity, remoteAddress: String?) {
        admitted(gateway: identity.eui, serial: identity.serial, remoteAddress: remoteAddress)
    }

    /// A gateway's handshake completed, told by what the log line shows: the verifier's TLS callback
    /// has no use for a whole ``GatewayIdentity``.
    public func admitted(gateway: EUI64, serial: String, remoteAddress: String?) {
        admissions.increment()
        logger.info("gateway handshake admitted", metadata: [
            "gateway": "\(gateway)",
            "serial": "\(serial)",
            "remote": "\(remoteAddress ?? "unknown")",
        ])
    }

    /// A handshake was refused. `gateway` is the EUI the certificate names, when it names one.
    public func refused(_ refusal: GatewayHandshakeRefusal, gateway: EUI64?, remoteAddress: String?) {
        refusals[refusal.reason]?.increment()
        var metadata: Logger.Metadata = [
            "reason": "\(refusal.label)",
            "remote": "\(remoteAddress ?? "unknown")",
        ]
        if let gateway { metadata["gateway"] = "\(gateway)" }
        // A directory that cannot answer refuses every gateway: the operator must hear of it.
        let level: Logger.Level = refusal.reason == .directoryUnavailable ? .error : .notice
        logger.log(level: level, "gateway handshake refused: \(refusal)", metadata: metadata)
    }
}
