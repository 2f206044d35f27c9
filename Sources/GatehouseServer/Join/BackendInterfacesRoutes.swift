import BackendInterfaces
import Hummingbird
import JoinServer
import Logging
import NIOCore
import NIOSSL

/// The Join Server's Backend Interfaces endpoint: `POST` JSON on any path (clients configure a URL,
/// The Things Stack with a path, ChirpStack without), answered per the reference's interop rules.
///
/// Every answerable request gets HTTP 200 with a `Result`, failures included, because both The Things
/// Stack and ChirpStack drop the body of any other status; only a body that is not a request at all
/// gets 400, with a JSON `Result` a person with curl can read. Never a 5xx.
enum BackendInterfacesRoutes {
    static func router(joinServer: JoinServer, authentication: BackendPeerAuthentication, logger: Logger) -> Router<BackendRequestContext> {
        let router = Router(context: BackendRequestContext.self)
        let handler: @Sendable (Request, BackendRequestContext) async throws -> Response = { request, context in
            await answer(request, context: context, joinServer: joinServer, authentication: authentication, logger: logger)
        }
        router.post("/", use: handler)
        router.post("**", use: handler)
        return router
    }

    private static func answer(
        _ request: Request, context: BackendRequestContext, joinServer: JoinServer, authentication: BackendPeerAuthentication, logger: Logger
    ) async -> Response {
        let decoded: BackendRequest
        do {
            let body = try await request.body.collect(upTo: BackendRequest.maximumBodySize + 1)
            decoded = try BackendRequest(decoding: Array(buffer: body))
        } catch let failure as BackendDecodingFailure {
            logger.notice("Backend Interfaces request refused", metadata: ["reason": "\(failure)"])
            return json(failure.answer == nil ? .badRequest : .ok, failure.responseBody)
        } catch {
            let failure = BackendDecodingFailure.unanswerable("the body could not be read (at most \(BackendRequest.maximumBodySize) bytes)")
            logger.notice("Backend Interfaces request refused", metadata: ["reason": "\(failure)"])
            return json(.badRequest, failure.responseBody)
        }
        let certificate = try? await context.channel.nioSSL_peerCertificate().get()
        let peer: BackendPeer
        do {
            peer = try authentication.peer(presenting: certificate)
        } catch {
            logger.warning("Backend Interfaces sender refused", metadata: ["reason": "\(error)", "message": "\(decoded.messageType.rawValue)"])
            return json(.ok, BackendAnswer(failing: decoded.header, BackendResult(.unknownSender, error.description)).encoded())
        }
        return json(.ok, await joinServer.answer(decoded, from: peer).encoded())
    }

    private static func json(_ status: HTTPResponse.Status, _ body: [UInt8]) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
