import ApplicationServer
import Foundation
import Hummingbird
import LoRaWAN

/// Response bodies of the Application API. None carries a webhook secret except the two answers made to
/// show it once (creation and rotation), which are sent with `Cache-Control: no-store`.
struct ApplicationResponse: ResponseEncodable {
    var id: String
    var name: String
    var webhooks: [WebhookResponse]
    var createdAt: Date
    /// Only in the answer to creation.
    var webhookSecret: String?

    enum CodingKeys: String, CodingKey {
        case id, name, webhooks, createdAt = "created_at", webhookSecret = "webhook_secret"
    }

    init(_ application: ApplicationRecord, showingOnce secret: WebhookSecret? = nil) {
        id = application.id.rawValue
        name = application.name
        webhooks = application.webhooks.map(WebhookResponse.init)
        createdAt = application.createdAt
        webhookSecret = secret?.exportText()
    }
}

struct ApplicationListResponse: ResponseEncodable {
    var applications: [ApplicationResponse]
}

struct WebhookResponse: ResponseEncodable {
    var id: String
    var url: String

    init(_ webhook: Webhook) {
        id = webhook.id.uuidString.lowercased()
        url = webhook.url.absoluteString
    }
}

/// The answer to `POST .../webhook-secret`: the new secret, this once.
struct WebhookSecretResponse: ResponseEncodable {
    var applicationID: String
    var webhookSecret: String

    enum CodingKeys: String, CodingKey {
        case applicationID = "application_id", webhookSecret = "webhook_secret"
    }
}

struct DeviceAssignmentResponse: ResponseEncodable {
    var applicationID: String
    var devEUI: String

    enum CodingKeys: String, CodingKey {
        case applicationID = "application_id", devEUI = "dev_eui"
    }
}

struct ApplicationDevicesResponse: ResponseEncodable {
    var applicationID: String
    var devices: [String]

    enum CodingKeys: String, CodingKey {
        case applicationID = "application_id", devices
    }
}

/// A queued downlink: `f_cnt` is the counter it is encrypted with; `payload` (base64) is absent when
/// its session's AppSKey is no longer here.
struct DownlinkResponse: ResponseEncodable {
    var id: String
    var devEUI: String
    var fPort: Int
    var fCnt: UInt32
    var payload: String?
    var confirmed: Bool

    enum CodingKeys: String, CodingKey {
        case id, devEUI = "dev_eui", fPort = "f_port", fCnt = "f_cnt", payload, confirmed
    }

    init(_ downlink: QueuedDownlink, devEUI: EUI64) {
        id = downlink.id.uuidString.lowercased()
        self.devEUI = devEUI.description
        fPort = Int(downlink.fPort)
        fCnt = downlink.fCnt
        payload = downlink.payload.map { Data($0).base64EncodedString() }
        confirmed = downlink.confirmed
    }
}

struct DownlinkListResponse: ResponseEncodable {
    var downlinks: [DownlinkResponse]
}
