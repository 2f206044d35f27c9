import BackendInterfaces
import Foundation
import JoinServer
import LoRaWAN

/// How the device commands print a device.
enum DeviceText {
    static func line(_ device: JoinDeviceSummary) -> String {
        let columns = [
            device.devEUI.description, device.joinEUI.description, device.macVersion.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0),
            "keys: \(device.rootKeySource)", device.owner ?? (device.claimable ? "(claimable)" : "-"),
        ]
        return columns.joined(separator: "  ")
    }

    static func details(_ device: JoinDeviceSummary) -> [String] {
        let formatter = ISO8601DateFormatter()
        var lines = [
            "DevEUI         \(device.devEUI)",
            "JoinEUI        \(device.joinEUI)",
            "MAC version    LoRaWAN \(device.macVersion)",
            "Root keys      \(device.rootKeySource == .none ? "none (it cannot join until keys are set)" : device.rootKeySource.description)",
            "Owner          \(device.owner ?? (device.claimable ? "none (claimable)" : "none"))",
            "Home NetID     \(device.homeNetID?.description ?? "any")",
            "AS-ID          \(device.applicationServerID?.rawValue ?? "none")",
        ]
        if let transferred = device.transferredAt { lines.append("Transferred    \(formatter.string(from: transferred)) (joins are refused here)") }
        lines.append("Created        \(formatter.string(from: device.createdAt))")
        return lines
    }
}
