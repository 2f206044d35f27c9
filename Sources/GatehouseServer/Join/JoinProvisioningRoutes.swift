import Hummingbird
import JoinServer

/// `/api/v1` routes that bring devices in and move them out: a manufacturer's batch, a claim with the
/// code printed on the device, and root key transfers between Join Servers. Root keys travel only
/// wrapped under a KEK the caller supplies for the request; the KEKs are not stored.
struct JoinProvisioningRoutes {
    let registry: JoinDeviceRegistry

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("devices/import") { request, context in
            let body = try await JoinRequestBody.decode(ImportBatchRequest.self, from: request, limit: JoinRequestBody.documentLimit)
            let devices = try body.devices()
            let imported = try await registry.importBatch(devices, keks: try JoinFields.keks(body.keks, "keks"), actor: context.actor)
            return try JoinReply.json(.created, ImportedDevicesResponse(imported: imported), context)
        }
        group.post("devices/claim") { request, context in
            let body = try await JoinRequestBody.decode(ClaimDeviceRequest.self, from: request)
            // The owner is whoever the API key is: a claimant cannot claim on someone else's behalf.
            let summary = try await registry.claim(
                devEUI: try JoinFields.eui(body.devEUI, "dev_eui"), joinEUI: try JoinFields.eui(body.joinEUI, "join_eui"), code: try body.code(),
                owner: context.actor)
            return JoinDeviceResponse(summary)
        }
        group.post("devices/:devEUI/transfer") { request, context in
            let device = try JoinFields.devEUI(context)
            let body = try await JoinRequestBody.decode(TransferDeviceRequest.self, from: request)
            let export = try await registry.transfer(device, under: try body.labeledKEK(), actor: context.actor)
            // The device is now marked transferred: this answer is the one copy of its export.
            return JoinReply.json(.ok, export.encoded(), headers: JoinReply.noStore)
        }
        group.post("devices/transfers") { request, context in
            let body = try await JoinRequestBody.decode(ImportTransfersRequest.self, from: request, limit: JoinRequestBody.documentLimit)
            let exports = try body.exports()
            let owner = try body.owner.map { try JoinFields.text($0, "owner") }
            let imported = try await registry.importTransfers(exports, keks: try JoinFields.keks(body.keks, "keks"), owner: owner, actor: context.actor)
            return try JoinReply.json(.created, ImportedDevicesResponse(imported: imported), context)
        }
    }
}
