public import Hummingbird

/// An API failure as the client sees it: an HTTP status, a stable machine-readable code and a
/// sentence for a human.
///
/// Every error an API route lets escape becomes one of these in ``APIErrorMiddleware``, which is
/// the only place that chooses a status. The body is always
/// `{"error":{"code":"...","message":"..."}}`. Messages must not contain secrets: they are sent to
/// the client and logged.
public struct APIError: Error, Sendable, Equatable {
    /// A stable identifier that clients may branch on, in snake case.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let badRequest = Code(rawValue: "bad_request")
        public static let unauthorized = Code(rawValue: "unauthorized")
        public static let forbidden = Code(rawValue: "forbidden")
        public static let notFound = Code(rawValue: "not_found")
        public static let methodNotAllowed = Code(rawValue: "method_not_allowed")
        public static let conflict = Code(rawValue: "conflict")
        public static let payloadTooLarge = Code(rawValue: "payload_too_large")
        public static let unsupportedMediaType = Code(rawValue: "unsupported_media_type")
        public static let internalError = Code(rawValue: "internal_error")
        public static let unavailable = Code(rawValue: "unavailable")
    }

    public var status: HTTPResponse.Status
    public var code: Code
    public var message: String

    public init(status: HTTPResponse.Status, code: Code, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// Nothing answers at this path (or not for this method).
    public static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, code: .notFound, message: message)
    }

    /// The request is malformed; `message` says what to change.
    public static func badRequest(_ message: String) -> APIError {
        APIError(status: .badRequest, code: .badRequest, message: message)
    }

    /// A fault on the server's side; deliberately vague, the details go to the log only.
    public static let internalError = APIError(
        status: .internalServerError,
        code: .internalError,
        message: "The server failed to handle the request; the details are in its log."
    )
}

extension APIError: HTTPResponseError {
    private struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
        }
        let error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(
            Body(error: .init(code: code.rawValue, message: message)),
            from: request,
            context: context
        )
        response.status = status
        return response
    }
}

extension APIError: CustomStringConvertible {
    public var description: String { "\(status.code) \(code): \(message)" }
}
