import ApplicationServer
import Foundation
import LoRaWAN

/// How the application commands print an application. Never its secret.
enum ApplicationText {
    static func line(_ application: Application) -> String {
        let webhooks = application.webhooks.count == 1 ? "1 webhook" : "\(application.webhooks.count) webhooks"
        return [application.id.rawValue, webhooks, application.name].joined(separator: "  ")
    }

    static func details(_ application: Application, devices: [EUI64]) -> [String] {
        var lines = [
            "Id             \(application.id)",
            "Name           \(application.name)",
            "Created        \(ISO8601DateFormatter().string(from: application.createdAt))",
            "Webhooks       \(application.webhooks.isEmpty ? "none" : "\(application.webhooks.count)")",
        ]
        lines += application.webhooks.map { "  \($0.id.uuidString.lowercased())  \($0.url.absoluteString)" }
        lines.append("Devices        \(devices.isEmpty ? "none" : "\(devices.count)")")
        lines += devices.map { "  \($0)" }
        return lines
    }
}
