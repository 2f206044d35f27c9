import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One CUPS exchange: `POST /update-info` with the station's JSON, answered in the station's binary
/// format (basics-station-protocol §2). One request per connection, as the station does; the
/// connection closes after the answer.
struct CUPSExchange {
    let configuration: GatewayListenerConfiguration
    let service: any CUPSUpdateService
    let connection: GatewayConnection
    let clock: @Sendable () -> Date
    let logger: Logger

    func serve(_ http: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        do {
            try await http.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                    case .body(let chunk):
                        guard body.count + chunk.readableBytes <= configuration.maximumMessageBytes else {
                            try await respond(.payloadTooLarge, error: "the body exceeds \(configuration.maximumMessageBytes) bytes", on: outbound)
                            return
                        }
                        body.append(contentsOf: chunk.readableBytesView)
                    case .end:
                        guard let head else { return }
                        connection.received(at: clock())
                        try await answer(head, body: body, on: outbound)
                        return
                    }
                }
            }
        } catch {
            logger.debug("CUPS exchange ended early", metadata: ["error": "\(error)"])
        }
    }

    private func answer(_ head: HTTPRequestHead, body: [UInt8], on outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard path == "/update-info" else {
            try await respond(.notFound, error: "no such path; CUPS is POST /update-info", on: outbound)
            return
        }
        guard head.method == .POST else {
            try await respond(.methodNotAllowed, error: "CUPS takes POST /update-info", on: outbound)
            return
        }
        let request: CUPSUpdateRequest
        do { request = try CUPSUpdateRequest(decoding: body) } catch {
            connection.refusedMessage()
            logger.warning("CUPS request refused: malformed", metadata: ["reason": "\(error)"])
            try await respond(.badRequest, error: error.description, on: outbound)
            return
        }
        // DESIGN invariant 4: the EUI the station claims is the certificate's.
        guard request.router == connection.identity.eui else {
            connection.refusedMessage()
            logger.warning("CUPS request refused: router EUI is not the certificate's", metadata: ["claimed": "\(request.router)"])
            try await respond(.forbidden, error: "router \(request.router) is not the EUI of the client certificate", on: outbound)
            return
        }
        if let station = request.station { connection.stationReported(version: station) }
        let answer: CUPSAnswer
        do { answer = try await service.answer(
            request, from: connection.identity, listenerPort: connection.localPort ?? configuration.port) } catch {
            logger.error("CUPS update failed", metadata: ["error": "\(error)"])
            try await respond(.serviceUnavailable, error: "the update could not be prepared; retry later", on: outbound)
            return
        }
        logger.info("CUPS update answered", metadata: ["update": "\(answer.response)"])
        let bytes = answer.response.encoded()
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/octet-stream")
        headers.add(name: "Content-Length", value: "\(bytes.count)")
        headers.add(name: "Connection", value: "close")
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)))
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
        try await outbound.write(.end(nil))
        if let afterResponse = answer.afterResponse {
            do { try await afterResponse() } catch {
                logger.error("CUPS follow-up after the answer failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// A refusal as JSON `{"error": "..."}`; the station only looks at the status.
    private func respond(_ status: HTTPResponseStatus, error: String, on outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        let body = (try? JSONEncoder().encode(["error": error])) ?? Data("{}".utf8)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
        try await outbound.write(.end(nil))
    }
}
