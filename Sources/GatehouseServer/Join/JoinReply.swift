import Foundation
import Hummingbird
import NIOCore

/// JSON responses with a chosen status and headers.
enum JoinReply {
    /// `no-store` for every answer that holds a secret shown once: no cache may keep it.
    static let noStore: HTTPFields = [.cacheControl: "no-store"]

    static func json(_ status: HTTPResponse.Status, _ value: some Encodable, _ context: APIRequestContext, headers: HTTPFields = [:]) throws -> Response {
        json(status, try context.responseEncoder.encode(value), headers: headers)
    }

    /// A body already encoded (a root key export document, which has its own canonical form).
    static func json(_ status: HTTPResponse.Status, _ body: some Sequence<UInt8>, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
