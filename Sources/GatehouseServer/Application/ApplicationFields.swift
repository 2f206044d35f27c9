import ApplicationServer
import Foundation
import Hummingbird
import LoRaWAN

/// Turns the Application API's path parameters and text fields into typed values; each failure is a
/// 400 naming the field.
enum ApplicationFields {
    static func applicationID(_ text: String, _ field: String) throws -> ApplicationID {
        guard let id = ApplicationID(text) else { throw APIError.field(field, ApplicationID.rule) }
        return id
    }

    /// The `{applicationID}` of a route.
    static func applicationID(_ context: APIRequestContext) throws -> ApplicationID {
        try applicationID(try JoinFields.pathParameter(context, "applicationID"), "applicationID")
    }

    /// The `{webhookID}` of a route: the UUID `POST .../webhooks` answered.
    static func webhookID(_ context: APIRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: try JoinFields.pathParameter(context, "webhookID")) else {
            throw APIError.field("webhookID", "expected the webhook's id (a UUID)")
        }
        return id
    }

    static func name(_ text: String, _ field: String) throws -> String {
        do { return try ApplicationAdministration.name(text) } catch { throw APIError.field(field, error.description) }
    }

    static func url(_ text: String, _ field: String) throws -> String {
        do { _ = try ApplicationAdministration.url(text) } catch { throw APIError.field(field, error.description) }
        return text
    }
}
