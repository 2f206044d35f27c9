public import ApplicationServer
import Foundation
public import JoinServer
public import LoRaWAN
import NetworkServer
import Storage

/// A device across the roles: the Join Server's registration (root keys), the Network Server's profile
/// (region, class) and the Application Server's assignment, made and removed together.
extension GatehouseServices {
    /// What the Network and Application Servers need beyond the Join Server's registration.
    public struct DeviceProfile: Sendable, Equatable {
        /// `nil`: the region of the gateway that hears its join.
        public var region: Region?
        public var deviceClass: DeviceModeClass
        public var application: ApplicationID?

        public init(region: Region? = nil, deviceClass: DeviceModeClass = .classA, application: ApplicationID? = nil) {
            self.region = region
            self.deviceClass = deviceClass
            self.application = application
        }
    }

    /// Registers a device with the Join Server, records its network profile and assigns it to its
    /// application. The application must exist; nothing is registered when it does not.
    public func createDevice(_ device: NewJoinDevice, profile: DeviceProfile, actor: String) async throws -> JoinDeviceSummary {
        if let application = profile.application, try await applications.registry.application(application) == nil {
            throw DeviceProvisioningError.noSuchApplication(application)
        }
        let summary = try await joinDevices.create(device, actor: actor)
        if profile.region != nil || profile.deviceClass != .classA {
            try await store.networkDevices.save(NetworkDevice(
                devEUI: device.devEUI, joinEUI: device.joinEUI, macVersion: device.macVersion, region: profile.region,
                deviceClass: profile.deviceClass, activation: .otaa, createdAt: Date()))
        }
        if let application = profile.application {
            _ = try await applications.registry.assign(device.devEUI, to: application)
        }
        return summary
    }

    /// Deletes a device everywhere: root keys (OTAA), network profile and session (queued downlinks
    /// too), application assignment and AppSKeys.
    public func deleteDevice(_ devEUI: EUI64, actor: String) async throws {
        // An ABP device has no Join Server registration: its Network Server record is the device.
        if try await store.networkDevices.device(devEUI)?.activation != .abp {
            try await joinDevices.delete(devEUI, actor: actor)
        }
        _ = try await store.networkDevices.delete(devEUI)
        try await network.deactivate(devEUI: devEUI)
        _ = try await applications.registry.unassign(devEUI)
        try await applications.sessions.deleteSessions(devEUI: devEUI)
    }
}

/// Why a device cannot be provisioned.
public enum DeviceProvisioningError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchApplication(ApplicationID)

    public var description: String {
        switch self {
        case .noSuchApplication(let id): "application \(id) does not exist; create it first (gatehouse app create)"
        }
    }
}
