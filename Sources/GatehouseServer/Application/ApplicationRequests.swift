import ApplicationServer
import LoRaWAN

/// Request bodies of the Application API, snake case like the rest of the API and the events. Members
/// not listed here are refused (``ApplicationRequestBody``): a misspelt `confirmed` must not quietly
/// queue an unconfirmed downlink.
protocol ApplicationRequest: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
}

/// `POST /applications`.
struct CreateApplicationRequest: ApplicationRequest {
    var id: String
    var name: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name
    }
}

/// `POST /applications/{id}/webhooks`.
struct AddWebhookRequest: ApplicationRequest {
    var url: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url
    }
}

/// `POST /devices/{devEUI}/downlinks`: the payload in standard base64; unconfirmed unless said.
struct PushDownlinkRequest: ApplicationRequest {
    var fPort: Int
    var payload: String
    var confirmed: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case fPort = "f_port", payload, confirmed
    }

    func request(for devEUI: EUI64) throws(DownlinkError) -> DownlinkRequest {
        try DownlinkRequest(devEUI: devEUI, fPort: fPort, payloadBase64: payload, confirmed: confirmed ?? false)
    }
}
