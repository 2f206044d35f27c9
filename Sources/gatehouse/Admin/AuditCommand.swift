import ArgumentParser
import Foundation
import GatehouseServer
import GatewayPKI
import LoRaWAN

/// `gatehouse audit`: the append-only log of CA and certificate events.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show CA and certificate events.")
    @OptionGroup var admin: AdminOptions
    @Option(name: .customLong("gateway"), help: "Only this gateway's events.") var gateway: String?
    @Option(name: .customLong("from"), help: "ISO 8601 start time.") var from: String?
    @Option(name: .customLong("to"), help: "ISO 8601 end time.") var to: String?
    @Option(name: .customLong("limit")) var limit: Int = 1000

    func run() async throws {
        let formatter = ISO8601DateFormatter()
        func time(_ text: String?, _ option: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = formatter.date(from: text) else { throw CommandLineFailure.usage("\(option): use ISO 8601, e.g. 2026-11-21T13:00:00Z") }
            return date
        }
        let eui = try gateway.map { try requireEUI($0, "--gateway") }
        let (start, end) = (try time(from, "--from"), try time(to, "--to"))
        let events = try await admin.withServices { try await $0.pki.auditEvents(gateway: eui, from: start, to: end, limit: limit) }
        for event in events {
            let subject = [event.gatewayEUI?.description, event.serial.map { "serial \($0)" }].compactMap { $0 }.joined(separator: " ")
            print("\(formatter.string(from: event.time))  \(event.action.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0))  \(event.actor)  \(subject)  \(event.detail)")
        }
    }
}
