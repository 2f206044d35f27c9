import Hummingbird
import JoinServer

/// `POST /api/v1/devices/abp`: creates an ABP device, only with `"insecure_abp": true`. The answer
/// says `"insecure": true` with a warning; no key goes back, and none reaches the log.
struct ABPDeviceRoutes {
    let services: GatehouseServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("devices/abp") { request, context in
            let body = try await ApplicationRequestBody.decode(CreateABPDeviceRequest.self, from: request)
            guard body.insecureABP == true else { throw CreateABPDeviceRequest.notAcknowledged }
            let device = try body.newDevice()
            let summary: GatehouseServices.ABPDeviceSummary
            do {
                summary = try await services.createABPDevice(device, acknowledgeInsecure: true, actor: context.actor, logger: context.logger)
            } catch let error as DeviceProvisioningError {
                throw APIError.field("application_id", error.description)
            } catch ABPProvisioningError.insecureNotAcknowledged {
                throw CreateABPDeviceRequest.notAcknowledged
            } catch let error as ABPProvisioningError {
                throw APIError.field("mac_version", error.description)
            }
            return try JoinReply.json(.created, ABPDeviceResponse(summary), context)
        }
    }
}
