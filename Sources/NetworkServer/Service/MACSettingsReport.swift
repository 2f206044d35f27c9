import LoRaWAN

/// A device's MAC settings as the operator sees them: what it uses (its session's ``MACSettings``),
/// what is wished (``DesiredMACSettings``), and where each difference stands.
public struct MACSettingsReport: Sendable, Equatable {
    public var devEUI: EUI64
    public var macVersion: MACVersion
    /// The session's region, or the device's before it joins (`nil`: the region of its gateway).
    public var region: Region?
    public var desired: DesiredMACSettings
    /// The settings the device uses, `nil` before it joins.
    public var current: MACSettings?
    /// The settings that differ from the wish, in ``ReconciledSetting`` order; empty without a session.
    public var changes: [MACSettingsPlanner.Change]
    /// A ForceRejoinReq waiting for the next downlink.
    public var pendingForceRejoin: ForceRejoinRequest?

    public init(device: NetworkDevice, session: NetworkSession?) {
        devEUI = device.devEUI
        macVersion = device.macVersion
        region = session?.region ?? device.region
        desired = device.desiredMACSettings
        current = session?.macSettings
        changes = session.map { MACSettingsPlanner.changes(session: $0, desired: device.desiredMACSettings) } ?? []
        pendingForceRejoin = session?.macReconciliation.forceRejoin
    }

    /// The device has what is wished (or has no session to compare).
    public var isInSync: Bool { changes.isEmpty }
}
