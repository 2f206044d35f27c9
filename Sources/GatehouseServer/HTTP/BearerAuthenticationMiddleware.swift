import Hummingbird
import Logging
import Storage

/// Lets a request through only with `Authorization: Bearer <operator API key>` naming a key that exists
/// and is not revoked. Every refusal is the same 401 body, so it says nothing about which check failed.
struct BearerAuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let apiKeys: any APIKeyRepository

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count <= 512,
            header.lowercased().hasPrefix("bearer "),
            let record = try await apiKeys.verify(presented: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else {
            context.logger.info("API request refused: missing or invalid API key", metadata: ["http.path": "\(request.uri.path)"])
            throw APIError(status: .unauthorized, code: .unauthorized, message: "A valid API key is required: send Authorization: Bearer <key>.")
        }
        var context = context
        context.actor = "apikey:\(record.name)"
        return try await next(request, context)
    }
}

import Foundation
