import Foundation
import GatehouseServer
import NIOCore
import NIOHTTP1

/// The demo's client of the REST API, over the CLI's ``APIConnection`` with the server's development
/// certificate pinned: it pushes a downlink and follows the live event stream, as an application would.
struct DemoAPIClient: Sendable {
    let connection: APIConnection
    let headers: HTTPHeaders

    init(port: Int, apiKey: String, certificatePath: String) throws {
        connection = try APIConnection(host: "127.0.0.1", port: port, trust: try APITrust.load(caCertificate: certificatePath))
        headers = ["Authorization": "Bearer \(apiKey)", "User-Agent": "gatehouse-demo"]
    }

    /// `POST /api/v1/devices/{devEUI}/downlinks`.
    func pushDownlink(devEUI: String, fPort: Int, payload: [UInt8], confirmed: Bool) async throws {
        var headers = headers
        headers.add(name: "Content-Type", value: "application/json")
        let body = #"{"f_port":\#(fPort),"payload":"\#(Data(payload).base64EncodedString())","confirmed":\#(confirmed)}"#
        let (status, text) = try await connection.exchange(
            .POST, "/api/v1/devices/\(devEUI)/downlinks", headers: headers, body: Array(body.utf8), readTimeout: .seconds(30)
        ) { answer in (answer.head.status.code, String(decoding: try await answer.collect(upTo: 1 << 16), as: UTF8.self)) }
        guard (200 ..< 300).contains(status) else { throw DemoFailure("the downlink was refused: HTTP \(status) \(text)") }
    }

    /// Follows `GET /api/v1/events` and hands each event on until the task is cancelled.
    func followEvents(_ receive: @escaping @Sendable (_ type: String, _ json: String) -> Void, connected: @escaping @Sendable () -> Void) async throws {
        var headers = headers
        headers.add(name: "Accept", value: "text/event-stream")
        try await connection.exchange(.GET, "/api/v1/events", headers: headers, readTimeout: .seconds(60)) { answer in
            guard answer.head.status == .ok else { throw DemoFailure("the event stream was refused: HTTP \(answer.head.status.code)") }
            connected()
            var reader = ServerSentEventReader()
            while let chunk = try await answer.next() {
                for event in try reader.read(chunk.readableBytesView) { receive(event.type, event.data) }
            }
        }
    }
}

/// A demo step that did not happen as it should.
struct DemoFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
