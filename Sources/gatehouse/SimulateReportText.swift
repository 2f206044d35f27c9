import Foundation
import LoRaWAN
import StationSimulator

/// The lines `gatehouse simulate` prints, one per step.
enum SimulateReportText {
    static func routerConfig(_ config: StationRouterConfig) -> String {
        let heard = config.audibleFrequencies.map { "\($0.count) channels heard" } ?? "no channel list"
        let mux = config.muxTime == nil ? "no MuxTime" : "MuxTime given"
        return "router_config: region \(config.regionName.isEmpty ? "?" : config.regionName), \(heard), \(mux)"
    }

    static func devices(_ devices: [VirtualDevice], file: String) -> String {
        var byVersion: [MACVersion: Int] = [:]
        for device in devices { byVersion[device.macVersion, default: 0] += 1 }
        let versions = MACVersion.allCases.compactMap { version in byVersion[version].map { "\($0) x \(version)" } }
        return "\(devices.count) from \(file) (\(versions.joined(separator: ", ")))"
    }

    static func event(_ event: SimulationEvent) -> String {
        switch event {
        case .joining(let devices, let concurrency):
            "join: \(devices) devices, \(concurrency) at a time"
        case .joined(let joined, let failed, let duration):
            "  joined \(joined)/\(joined + failed) in \(seconds(duration))"
        case .sendingUplinks(let planned, let rate):
            "uplinks: \(planned) at \(rate > 0 ? "\(format(rate))/s" : "full speed")"
        case .sentUplinks(let sent, let failed, let duration):
            "  sent \(sent) (\(failed) failed) in \(seconds(duration))"
        case .waitingForDownlinks(let wait):
            "downlinks: waiting up to \(seconds(wait))"
        }
    }

    static func summary(_ summary: SimulationSummary) -> String {
        var lines: [String] = []
        lines.append("  downlinks verified \(summary.downlinksVerified), ACKs \(summary.acknowledgements)/\(summary.confirmedUplinks), "
            + "MIC failures \(summary.micFailures), refused \(summary.downlinksRefused), "
            + "outside receive windows \(summary.downlinksOutsideReceiveWindows), too late to send \(summary.downlinksTooLate)")
        if summary.stoppedAtDeadline { lines.append("  sending stopped at --duration") }
        lines.append("summary: joined \(summary.joined)/\(summary.devices), uplinks \(summary.uplinksSent)/\(summary.uplinksPlanned) "
            + "(\(format(summary.achievedUplinkRate))/s), in \(seconds(summary.elapsed)): \(summary.succeeded ? "OK" : "FAILED")")
        if !summary.errors.isEmpty {
            lines.append("problems (first \(min(summary.errors.count, 10))):")
            lines += summary.errors.prefix(10).map { "  - \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.2f s", value)
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
