import Hummingbird
import JoinServer
import LoRaWAN

/// `/api/v1` routes of the Join Server's devices: register, read, change keys and routing, reset the
/// DevNonce history, delete, and their audit log. Handlers are thin: decode, call
/// `JoinDeviceRegistry`, encode. Root keys go in and never come out.
struct JoinDeviceRoutes {
    static let defaultPageSize = 100

    let services: GatehouseServices
    var registry: JoinDeviceRegistry { services.joinDevices }

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("devices") { request, context in
            let body = try await JoinRequestBody.decode(CreateJoinDeviceRequest.self, from: request)
            let summary: JoinDeviceSummary
            do {
                summary = try await services.createDevice(try body.newDevice(), profile: try body.profile(), actor: context.actor)
            } catch let error as DeviceProvisioningError {
                throw APIError.field("application_id", error.description)
            }
            return try JoinReply.json(.created, JoinDeviceResponse(summary), context)
        }
        group.get("devices") { request, _ in
            let query = request.uri.queryParameters
            let owner = query.get("owner").flatMap { $0.isEmpty ? nil : $0 }
            let limit = try JoinFields.count(query.get("limit"), "limit", default: Self.defaultPageSize)
            let after = try query.get("after").map { try JoinFields.eui($0, "after") }
            let devices = try await registry.devices(owner: owner, limit: limit, after: after)
            return JoinDeviceListResponse(
                devices: devices.map(JoinDeviceResponse.init), nextAfter: devices.count == min(limit, 1000) ? devices.last?.devEUI.description : nil)
        }
        group.get("devices/:devEUI") { _, context in
            JoinDeviceResponse(try await registry.device(try JoinFields.devEUI(context)))
        }
        group.delete("devices/:devEUI") { _, context in
            try await services.deleteDevice(try JoinFields.devEUI(context), actor: context.actor)
            return Response(status: .noContent)
        }
        group.put("devices/:devEUI/root-keys") { request, context in
            let device = try JoinFields.devEUI(context)
            let body = try await JoinRequestBody.decode(SetRootKeysRequest.self, from: request)
            return JoinDeviceResponse(try await registry.setRootKeys(device, try body.rootKeys(), actor: context.actor))
        }
        group.patch("devices/:devEUI") { request, context in
            let device = try JoinFields.devEUI(context)
            let body = try await JoinRequestBody.decode(UpdateJoinDeviceRequest.self, from: request)
            let current = try await registry.device(device)
            let summary = try await registry.setRouting(
                device, homeNetID: try body.homeNetID(current: current.homeNetID),
                applicationServerID: try body.applicationServerID(current: current.applicationServerID), actor: context.actor)
            return JoinDeviceResponse(summary)
        }
        group.post("devices/:devEUI/dev-nonces/reset") { request, context in
            let device = try JoinFields.devEUI(context)
            let body = try await JoinRequestBody.decode(ResetDevNoncesRequest.self, from: request)
            try await registry.resetDevNonces(device, actor: context.actor, reason: try JoinFields.text(body.reason, "reason"))
            return Response(status: .noContent)
        }
        group.get("devices/:devEUI/audit") { request, context in
            let device = try JoinFields.devEUI(context)
            let limit = try JoinFields.count(request.uri.queryParameters.get("limit"), "limit", default: 1000)
            return DeviceAuditListResponse(events: try await registry.auditEvents(devEUI: device, limit: limit).map(DeviceAuditEventResponse.init))
        }
        group.get("join/audit") { request, _ in
            let limit = try JoinFields.count(request.uri.queryParameters.get("limit"), "limit", default: 1000)
            return DeviceAuditListResponse(events: try await registry.auditEvents(devEUI: nil, limit: limit).map(DeviceAuditEventResponse.init))
        }
    }
}
