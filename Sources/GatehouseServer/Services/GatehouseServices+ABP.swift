public import ApplicationServer
import Foundation
import JoinServer
public import LoRaWAN
public import Logging
import NetworkServer
import Storage

/// Activation by personalisation across the roles. ABP works, but it is the insecure way to run a
/// device, so it is never the default: creating one takes an explicit acknowledgement, and the API,
/// the CLI, the log and every uplink event say the device is insecure.
///
/// No Join Server takes part: the operator hands the session keys over once. The network keys go to the
/// Network Server's session and the AppSKey to the Application Server's (each sealed by storage), under
/// one random SessionKeyID, so the two halves still never meet in one role (DESIGN.md invariant 3).
extension GatehouseServices {
    /// What an operator provisions an ABP device with. Printing shows no key.
    public struct NewABPDevice: Sendable, CustomStringConvertible {
        public var devEUI: EUI64
        public var devAddr: DevAddr
        public var macVersion: MACVersion
        /// Required: no join-request tells the Network Server which gateway's region the device is in.
        public var region: Region
        public var deviceClass: DeviceModeClass
        /// NwkSKey (1.0.x) or FNwkSIntKey, SNwkSIntKey and NwkSEncKey (1.1); must match `macVersion`.
        public var networkKeys: NetworkSessionKeys
        public var appSKey: AppSKey
        public var application: ApplicationID?

        public init(
            devEUI: EUI64, devAddr: DevAddr, macVersion: MACVersion, region: Region, deviceClass: DeviceModeClass = .classA,
            networkKeys: NetworkSessionKeys, appSKey: AppSKey, application: ApplicationID? = nil
        ) {
            self.devEUI = devEUI
            self.devAddr = devAddr
            self.macVersion = macVersion
            self.region = region
            self.deviceClass = deviceClass
            self.networkKeys = networkKeys
            self.appSKey = appSKey
            self.application = application
        }

        public var description: String {
            "NewABPDevice(DevEUI \(devEUI), DevAddr \(devAddr), LoRaWAN \(macVersion), \(region), \(deviceClass), keys <redacted>)"
        }
    }

    /// An ABP device as created: identifiers and the warnings an operator must see. No key.
    public struct ABPDeviceSummary: Sendable, Equatable {
        public var devEUI: EUI64
        public var devAddr: DevAddr
        public var macVersion: MACVersion
        public var region: Region
        public var deviceClass: DeviceModeClass
        public var application: ApplicationID?
        /// Always `true`: an ABP device keeps its keys and counters for life.
        public var isInsecure: Bool { true }
        /// One sentence each: why ABP is insecure, and whether the DevAddr lies outside the NetID's block.
        public var warnings: [String]
    }

    /// The sentence every ABP creation answers with.
    public static let abpWarning =
        "ABP device: its session keys and frame counters are fixed for life, so anyone who ever read the keys can forge its frames "
        + "and a counter reset reopens replays; prefer OTAA."

    /// Creates an ABP device: its Network Server record and session (activation ABP, counters at zero,
    /// the region's default MAC settings, which a 1.1 device's ResetInd returns to), its Application
    /// Server session with the AppSKey, and its application assignment.
    ///
    /// - Parameter acknowledgeInsecure: must be `true`; the operator's explicit consent to ABP.
    /// - Throws: ``ABPProvisioningError`` when not acknowledged or the keys do not fit the version;
    ///   ``DeviceProvisioningError/noSuchApplication(_:)``; `JoinRegistryError.duplicate` when the
    ///   DevEUI is already a device here (OTAA or ABP). Nothing is created when it throws.
    public func createABPDevice(
        _ device: NewABPDevice, acknowledgeInsecure: Bool, actor: String, logger: Logger
    ) async throws -> ABPDeviceSummary {
        guard acknowledgeInsecure else { throw ABPProvisioningError.insecureNotAcknowledged }
        var settings = MACSettings.defaults(for: device.region)
        settings.deviceClass = device.deviceClass
        let sessionKeyID = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        let session: NetworkSession
        do {
            session = try NetworkSession(
                devEUI: device.devEUI, devAddr: device.devAddr, macVersion: device.macVersion, region: device.region, activation: .abp,
                keys: device.networkKeys, sessionKeyID: sessionKeyID, macSettings: settings)
        } catch {
            throw ABPProvisioningError.keysDoNotMatchVersion(device.macVersion)
        }
        if let application = device.application, try await applications.registry.application(application) == nil {
            throw DeviceProvisioningError.noSuchApplication(application)
        }
        let networkDevice = try await store.networkDevices.device(device.devEUI)
        let joinDevice = try await store.joinDevices.device(device.devEUI)
        if networkDevice != nil || joinDevice != nil { throw JoinRegistryError.duplicate(device.devEUI) }

        var warnings = [Self.abpWarning]
        if !device.devAddr.belongs(to: network.netID) {
            warnings.append("DevAddr \(device.devAddr) is outside the block of NetID \(network.netID); another network may use it too.")
        }
        // The Application Server's half first, so the first uplink the Network Server accepts finds
        // its AppSKey and its application.
        do {
            try await applications.sessions.store(ApplicationSession(
                devEUI: device.devEUI, devAddr: device.devAddr, sessionKeyID: sessionKeyID, appSKey: device.appSKey, createdAt: Date(),
                isABP: true))
            if let application = device.application {
                _ = try await applications.registry.assign(device.devEUI, to: application)
            }
            try await store.networkDevices.save(NetworkDevice(
                devEUI: device.devEUI, joinEUI: nil, macVersion: device.macVersion, region: device.region, deviceClass: device.deviceClass,
                activation: .abp, createdAt: Date()))
            try await network.activate(session)
        } catch {
            await undoABPDevice(device.devEUI, logger: logger)
            throw error
        }
        var metadata: Logger.Metadata = [
            "dev_eui": "\(device.devEUI)", "dev_addr": "\(device.devAddr)", "lorawan": "\(device.macVersion)", "actor": "\(actor)",
        ]
        if let application = device.application { metadata["application"] = "\(application)" }
        for warning in warnings { logger.warning("\(warning)", metadata: metadata) }
        return ABPDeviceSummary(
            devEUI: device.devEUI, devAddr: device.devAddr, macVersion: device.macVersion, region: device.region,
            deviceClass: device.deviceClass, application: device.application, warnings: warnings)
    }

    /// Removes what a failed ABP creation left behind, as far as storage lets it.
    private func undoABPDevice(_ devEUI: EUI64, logger: Logger) async {
        do {
            try await network.deactivate(devEUI: devEUI)
            _ = try await store.networkDevices.delete(devEUI)
            _ = try await applications.registry.unassign(devEUI)
            try await applications.sessions.deleteSessions(devEUI: devEUI)
        } catch {
            logger.error("an ABP device was created in part; delete it and create it again", metadata: [
                "dev_eui": "\(devEUI)", "error": "\(error)",
            ])
        }
    }
}

/// Why an ABP device is not created. The sentences hold no key.
public enum ABPProvisioningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The operator did not acknowledge that ABP is insecure.
    case insecureNotAcknowledged
    /// 1.1 needs FNwkSIntKey, SNwkSIntKey and NwkSEncKey; 1.0.x one NwkSKey.
    case keysDoNotMatchVersion(MACVersion)

    public var description: String {
        switch self {
        case .insecureNotAcknowledged:
            "ABP is insecure: the device keeps its session keys and frame counters for life, so anyone who ever read the keys can "
                + "forge its frames, and a counter reset (a device that loses its counters) reopens replays of old frames. Prefer "
                + "OTAA; to create an ABP device anyway, acknowledge this explicitly"
        case .keysDoNotMatchVersion(let version):
            version.hasSeparateNetworkRootKey
                ? "a LoRaWAN \(version) device needs FNwkSIntKey, SNwkSIntKey and NwkSEncKey"
                : "a LoRaWAN \(version) device needs one NwkSKey"
        }
    }
}
