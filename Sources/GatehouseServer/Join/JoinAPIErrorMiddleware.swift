import Hummingbird
import JoinServer

/// Turns the Join Server's typed refusals into ``APIError``s, for the Join routes only; everything else
/// passes on to ``APIErrorMiddleware``, which writes the response. This is the one place Join errors
/// meet HTTP statuses. None of these errors carries key material, so their sentences go to the client
/// as they are.
struct JoinAPIErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as JoinRegistryError {
            throw Self.apiError(for: error)
        } catch let error as ManufacturerBatchError {
            throw APIError(status: .badRequest, code: .invalidDocument, message: "data: \(error.description)")
        } catch let error as RootKeyExportError {
            throw APIError(status: .badRequest, code: .invalidDocument, message: "document: \(error.description)")
        }
    }

    /// A missing thing is 404, a state conflict 409, input that cannot be used 400; a refused claim is
    /// 403 with one sentence whatever the reason, so a claimant cannot probe which devices exist.
    static func apiError(for error: JoinRegistryError) -> APIError {
        switch error {
        case .notFound, .noSuchMasterKey, .noSuchPeer:
            APIError(status: .notFound, code: .notFound, message: error.description)
        case .duplicate, .duplicates, .overlappingMasterKey, .transferred, .noRootKeys:
            APIError(status: .conflict, code: .conflict, message: error.description)
        case .rootKeysDoNotFit:
            APIError(status: .badRequest, code: .invalidField, message: error.description)
        case .unwrapFailed:
            APIError(status: .badRequest, code: .unwrapFailed, message: error.description)
        case .claimRefused:
            APIError(status: .forbidden, code: .claimRefused, message: error.description)
        case .claimRateLimited:
            APIError(status: .tooManyRequests, code: .rateLimited, message: error.description)
        }
    }
}

extension APIError.Code {
    /// A batch or transfer document that cannot be read; the message says where and which field.
    static let invalidDocument = APIError.Code(rawValue: "invalid_document")
    /// Wrapped root keys that do not open with the KEKs given.
    static let unwrapFailed = APIError.Code(rawValue: "unwrap_failed")
    static let claimRefused = APIError.Code(rawValue: "claim_refused")
    static let rateLimited = APIError.Code(rawValue: "rate_limited")
}
