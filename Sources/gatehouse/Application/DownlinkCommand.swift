import ArgumentParser
import Foundation
import LoRaWAN
import NIOHTTP1

/// `gatehouse downlink`: a device's application downlink queue, through a running server's REST API
/// (`/api/v1/devices/{devEUI}/downlinks`). Over the API, not the data directory: encrypting a downlink
/// takes a counter from the Network Server's live session of the device, which the running server holds.
struct DownlinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "downlink", abstract: "Queue, list and clear a device's downlinks on a running server.",
        subcommands: [Push.self, List.self, Clear.self])

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue a downlink: it is encrypted with the AppSKey and sent in the device's next receive window.")
        @OptionGroup var remote: RemoteAPIOptions
        @Argument(help: "DevEUI (16 hex digits).") var devEUI: String
        @Option(name: .customLong("f-port"), help: "Application port, 1 to 223.") var fPort: Int
        @Option(name: .customLong("payload"), help: "The payload in base64.") var payload: String?
        @Option(name: .customLong("payload-hex"), help: "The payload in hex.") var payloadHex: String?
        @Flag(name: .customLong("confirmed"), help: "Ask the device to acknowledge it.") var confirmed = false

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            let base64: String
            switch (payload, payloadHex) {
            case (let text?, nil): base64 = text
            case (nil, let hex?):
                guard let bytes = Hex.decode(hex) else { throw CommandLineFailure.usage("--payload-hex: expected hex digits") }
                base64 = Data(bytes).base64EncodedString()
            default: throw CommandLineFailure.usage("give the payload with --payload (base64) or --payload-hex, one of them")
            }
            let body = try JSONSerialization.data(withJSONObject: ["f_port": fPort, "payload": base64, "confirmed": confirmed], options: [.sortedKeys])
            let answer = try await remote.call(.POST, "/devices/\(eui)/downlinks", json: Array(body))
            let queued = try JSONDecoder().decode(DownlinkAnswer.self, from: Data(answer))
            print("Queued downlink \(queued.id) for \(eui) on FPort \(queued.fPort) with FCnt \(queued.fCnt)\(queued.confirmed ? ", confirmed" : "")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a device's queued downlinks (payloads in base64).")
        @OptionGroup var remote: RemoteAPIOptions
        @Argument(help: "DevEUI (16 hex digits).") var devEUI: String

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            let answer = try await remote.call(.GET, "/devices/\(eui)/downlinks")
            for downlink in try JSONDecoder().decode(DownlinkListAnswer.self, from: Data(answer)).downlinks {
                let columns = [
                    downlink.id, "FPort \(downlink.fPort)", "FCnt \(downlink.fCnt)", downlink.confirmed ? "confirmed  " : "unconfirmed",
                    downlink.payload ?? "(payload not readable: its session's AppSKey is gone)",
                ]
                print(columns.joined(separator: "  "))
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop every downlink queued for a device.")
        @OptionGroup var remote: RemoteAPIOptions
        @Argument(help: "DevEUI (16 hex digits).") var devEUI: String

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            _ = try await remote.call(.DELETE, "/devices/\(eui)/downlinks")
            print("Cleared the downlink queue of \(eui)")
        }
    }
}

/// A downlink as the API answers it.
private struct DownlinkAnswer: Decodable {
    var id: String
    var fPort: Int
    var fCnt: UInt32
    var payload: String?
    var confirmed: Bool

    enum CodingKeys: String, CodingKey {
        case id, fPort = "f_port", fCnt = "f_cnt", payload, confirmed
    }
}

private struct DownlinkListAnswer: Decodable {
    var downlinks: [DownlinkAnswer]
}
