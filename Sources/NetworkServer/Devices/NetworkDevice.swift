import Foundation
import LoRaWAN

/// What the Network Server knows of a device before and between its sessions: which LoRaWAN version it
/// speaks, where it operates and how it is activated. Root keys are the Join Server's; session keys
/// live in ``NetworkSession``; there is no key here.
public struct NetworkDevice: Sendable, Equatable, CustomStringConvertible {
    public var devEUI: EUI64
    /// The Join Server's JoinEUI for an OTAA device; `nil` for ABP.
    public var joinEUI: EUI64?
    public var macVersion: MACVersion
    /// `nil`: the region of the gateway that hears the device's join-request.
    public var region: Region?
    /// The class the device runs in after its join: A, or C for devices that listen continuously.
    public var deviceClass: DeviceModeClass
    public var activation: NetworkSession.Activation
    public var createdAt: Date
    /// What the operator wants the device's MAC settings to be; the Network Server converges its
    /// sessions to it. Empty: no wish.
    public var desiredMACSettings: DesiredMACSettings

    public init(
        devEUI: EUI64, joinEUI: EUI64?, macVersion: MACVersion, region: Region?, deviceClass: DeviceModeClass = .classA,
        activation: NetworkSession.Activation = .otaa, createdAt: Date, desiredMACSettings: DesiredMACSettings = DesiredMACSettings()
    ) {
        self.devEUI = devEUI
        self.joinEUI = joinEUI
        self.macVersion = macVersion
        self.region = region
        self.deviceClass = deviceClass
        self.activation = activation
        self.createdAt = createdAt
        self.desiredMACSettings = desiredMACSettings
    }

    /// ABP keeps its keys and counters for life: anyone who ever read the keys can forge frames, and a
    /// counter reset reopens replays. Events and the API say so for every ABP device.
    public var isInsecure: Bool { activation == .abp }

    public var description: String {
        "NetworkDevice(DevEUI \(devEUI), LoRaWAN \(macVersion), \(region.map { "\($0)" } ?? "region of its gateway"), \(deviceClass), \(activation))"
    }
}
