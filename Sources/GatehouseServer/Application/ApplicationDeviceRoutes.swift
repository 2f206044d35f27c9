import ApplicationServer
import Hummingbird
import LoRaWAN

/// Which devices belong to an application: assign (moving a device from any other), unassign, list.
struct ApplicationDeviceRoutes {
    let registry: any ApplicationRegistry

    func register(on group: RouterGroup<APIRequestContext>) {
        group.put("applications/:applicationID/devices/:devEUI") { _, context in
            let id = try ApplicationFields.applicationID(context)
            let devEUI = try JoinFields.devEUI(context)
            try await administration(context).assign(devEUI, to: id, actor: context.actor)
            return DeviceAssignmentResponse(applicationID: id.rawValue, devEUI: devEUI.description)
        }
        group.delete("applications/:applicationID/devices/:devEUI") { _, context in
            let id = try ApplicationFields.applicationID(context)
            try await administration(context).unassign(try JoinFields.devEUI(context), from: id, actor: context.actor)
            return Response(status: .noContent)
        }
        group.get("applications/:applicationID/devices") { _, context in
            let id = try ApplicationFields.applicationID(context)
            let devices = try await administration(context).devices(of: id)
            return ApplicationDevicesResponse(applicationID: id.rawValue, devices: devices.map(\.description))
        }
    }

    private func administration(_ context: APIRequestContext) -> ApplicationAdministration {
        ApplicationAdministration(registry: registry, logger: context.logger)
    }
}
