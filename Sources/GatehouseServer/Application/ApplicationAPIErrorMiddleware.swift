import ApplicationServer
import Hummingbird

/// Turns the Application Server's typed refusals into ``APIError``s, for the Application routes only;
/// everything else passes on to ``APIErrorMiddleware``, which writes the response. This is the one
/// place Application errors meet HTTP statuses. None of these errors carries a secret.
struct ApplicationAPIErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ApplicationAdministrationError {
            throw Self.apiError(for: error)
        } catch let error as DownlinkError {
            throw Self.apiError(for: error)
        }
    }

    static func apiError(for error: ApplicationAdministrationError) -> APIError {
        switch error {
        case .notFound, .webhookNotFound, .deviceNotAssigned:
            APIError(status: .notFound, code: .notFound, message: error.description)
        case .alreadyExists, .duplicateWebhook, .tooManyWebhooks:
            APIError(status: .conflict, code: .conflict, message: error.description)
        case .invalidName:
            .field("name", error.description)
        case .invalidURL:
            .field("url", error.description)
        }
    }

    /// Input that cannot be a downlink is 400, one too long for the device's data rate 422; a device
    /// without a session 404; a session or counter that does not fit the Network Server's 409; a store
    /// that cannot be read 503.
    static func apiError(for error: DownlinkError) -> APIError {
        switch error {
        case .invalidFPort:
            .field("f_port", error.description)
        case .invalidBase64:
            .field("payload", error.description)
        case .payloadTooLong:
            APIError(status: .unprocessableContent, code: .payloadTooLong, message: error.description)
        case .noSession:
            APIError(status: .notFound, code: .noSession, message: error.description)
        case .sessionNotReady, .networkServerRefused:
            APIError(status: .conflict, code: .conflict, message: error.description)
        case .storageFailed:
            APIError(status: .serviceUnavailable, code: .unavailable, message: "the device's session could not be read; try again")
        }
    }
}

extension APIError.Code {
    /// A downlink longer than the device's current data rate carries.
    static let payloadTooLong = APIError.Code(rawValue: "payload_too_long")
    /// The device has not joined (no AppSKey session here).
    static let noSession = APIError.Code(rawValue: "no_session")
}
