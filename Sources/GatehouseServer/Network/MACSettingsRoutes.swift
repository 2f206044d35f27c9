import Hummingbird
import NetworkServer

/// A device's MAC settings at the Network Server: read the current and desired settings and where
/// each difference stands, replace the desired ones, and queue a ForceRejoinReq (LoRaWAN 1.1). Thin:
/// decode, call ``NetworkServer``, encode; refusals are mapped in ``NetworkAPIErrorMiddleware``.
struct MACSettingsRoutes {
    let network: NetworkServer

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("devices/:devEUI/mac-settings") { _, context in
            MACSettingsResponse(try await network.macSettings(of: try JoinFields.devEUI(context)))
        }
        group.put("devices/:devEUI/mac-settings") { request, context in
            let devEUI = try JoinFields.devEUI(context)
            let body = try await ApplicationRequestBody.decode(SetMACSettingsRequest.self, from: request)
            return MACSettingsResponse(try await network.setDesiredMACSettings(try body.desired(), of: devEUI))
        }
        group.post("devices/:devEUI/force-rejoin") { request, context in
            let devEUI = try JoinFields.devEUI(context)
            let body = try await ApplicationRequestBody.decode(ForceRejoinRequestBody.self, from: request)
            let report = try await network.forceRejoin(
                devEUI, rejoinType: try body.rejoinTypeValue(), dataRate: try body.dataRateValue(), maxRetries: try body.maxRetriesValue(),
                period: try body.periodValue())
            return try JoinReply.json(.accepted, MACSettingsResponse(report), context)
        }
    }
}

/// The Network Server's operator routes under `/api/v1`, with their own error mapping.
enum NetworkRoutes {
    static func register(on api: RouterGroup<APIRequestContext>, services: GatehouseServices) {
        let group = api.group().add(middleware: NetworkAPIErrorMiddleware())
        MACSettingsRoutes(network: services.network).register(on: group)
    }
}
