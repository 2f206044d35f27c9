import ApplicationServer
import BackendInterfaces
import Hummingbird

/// A device's application downlink queue: push (encrypted here with the AppSKey, queued in the Network
/// Server), list (decrypted back), clear.
struct DownlinkRoutes {
    let downlinks: DeviceDownlinkQueue

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("devices/:devEUI/downlinks") { request, context in
            let devEUI = try JoinFields.devEUI(context)
            let body = try await ApplicationRequestBody.decode(PushDownlinkRequest.self, from: request)
            let queued = try await downlinks.push(try body.request(for: devEUI))
            let response = DownlinkResponse(
                QueuedDownlink(id: queued.id, fPort: queued.fPort, fCnt: queued.fCnt, payload: nil, confirmed: queued.confirmed), devEUI: devEUI)
            return try JoinReply.json(.created, response, context)
        }
        group.get("devices/:devEUI/downlinks") { _, context in
            let devEUI = try JoinFields.devEUI(context)
            return DownlinkListResponse(downlinks: try await downlinks.list(devEUI: devEUI).map { DownlinkResponse($0, devEUI: devEUI) })
        }
        group.delete("devices/:devEUI/downlinks") { _, context in
            try await downlinks.clear(devEUI: try JoinFields.devEUI(context))
            return Response(status: .noContent)
        }
    }
}
