public import Hummingbird
import GatewayPKI
import Logging
import Storage

/// Turns every error that escapes a route into an ``APIError`` response, and logs it.
///
/// This is the single place where errors meet HTTP statuses. Client mistakes (4xx) are logged at
/// info, since they say nothing about the server's health; server faults (5xx) at warning with the
/// underlying error, which the client never sees.
public struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, request: request)
            let metadata: Logger.Metadata = [
                "http.method": "\(request.method)",
                "http.path": "\(request.uri.path)",
                "http.status": "\(apiError.status.code)",
                "error.code": "\(apiError.code)",
            ]
            if apiError.status.kind == .serverError {
                context.logger.warning(
                    "Request failed: \(apiError.message)",
                    metadata: metadata.merging(["error": "\(String(reflecting: error))"]) { old, _ in old }
                )
            } else {
                context.logger.info("Request refused: \(apiError.message)", metadata: metadata)
            }
            return try apiError.response(from: request, context: context)
        }
    }

    /// Maps any error to the response the client gets.
    static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let apiError as APIError:
            return apiError
        case let pkiError as PKIError:
            return Self.apiError(for: pkiError)
        case let bundleError as BasicsStationBundleError:
            return APIError(status: .badRequest, code: .badRequest, message: bundleError.description)
        case StorageError.unknownGateway(let eui):
            return .notFound("no gateway with EUI \(eui) is registered")
        case StorageError.authorityNotFound(let id):
            return .notFound("no certificate authority with id \(id)")
        case let httpError as HTTPError where httpError.status == .notFound:
            // The router answers both an unknown path and a known path with the wrong method this way.
            return .notFound("There is no \(request.method) \(Self.printable(request.uri.path)) on this server.")
        case let responseError as any HTTPResponseError where responseError.status.kind == .clientError:
            let message = (responseError as? HTTPError)?.body ?? responseError.status.reasonPhrase
            return APIError(status: responseError.status, code: code(for: responseError.status), message: message)
        default:
            return .internalError
        }
    }

    /// The PKI's refusals: a missing thing is 404, a state conflict 409, anything else a bad request.
    static func apiError(for error: PKIError) -> APIError {
        switch error {
        case .gatewayNotFound, .certificateNotFound, .authorityNotFound:
            APIError(status: .notFound, code: .notFound, message: error.description)
        case .duplicateGateway, .authorityAlreadyInitialized, .noIssuingAuthority:
            APIError(status: .conflict, code: .conflict, message: error.description)
        case .invalidField, .authority, .authorityImport, .issuance:
            APIError(status: .badRequest, code: .badRequest, message: error.description)
        }
    }

    private static func code(for status: HTTPResponse.Status) -> APIError.Code {
        switch status {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .contentTooLarge: .payloadTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        default: APIError.Code(rawValue: status.reasonPhrase.lowercased().split(separator: " ").joined(separator: "_"))
        }
    }

    /// A path as it may be echoed back: at most 200 characters.
    private static func printable(_ path: String) -> String {
        path.count <= 200 ? path : String(path.prefix(200)) + "…"
    }
}
