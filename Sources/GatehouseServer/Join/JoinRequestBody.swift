import Foundation
import Hummingbird
import JoinServer
import NIOCore

/// Reads a Join API request body as JSON.
///
/// Its own reader rather than `Request.decode`, for two reasons: a manufacturer's batch or a fleet's
/// transfer document is far bigger than the 2 MiB the API's context allows other bodies, and a
/// decoding failure should name the field at fault in our error shape (`invalid_field`) without ever
/// quoting a value, which may be a key.
enum JoinRequestBody {
    /// Most bodies: a device, a key, a peer.
    static let defaultLimit = 64 << 10
    /// Batches and transfer documents travel as JSON strings or objects inside the body, so allow the
    /// largest document plus JSON escaping.
    static let documentLimit = ManufacturerBatch.maximumDocumentBytes + ManufacturerBatch.maximumDocumentBytes / 4

    /// Decodes `T` from the body; an empty body counts as `{}`, so a missing member is reported by name.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = defaultLimit) async throws -> T {
        let buffer = try await request.body.collect(upTo: limit)
        let bytes = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
        do {
            return try JSONDecoder().decode(T.self, from: bytes)
        } catch let error as DecodingError {
            throw apiError(for: error)
        }
    }

    /// The field a decoding error is about, never the value that was there.
    static func apiError(for error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            return .field(path(context.codingPath + [key]), "is missing")
        case .valueNotFound(_, let context):
            return .field(path(context.codingPath), "must not be null")
        case .typeMismatch(_, let context):
            return .field(path(context.codingPath), "has the wrong JSON type")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return .field(path(context.codingPath), "is not valid")
        default:
            return .badRequest("The body is not a JSON object.")
        }
    }

    /// `keks[0].label` for a coding path.
    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "body" : text
    }
}
