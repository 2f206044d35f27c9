import Foundation
import LoRaWAN

extension NetworkSession {
    /// Rebuilds a stored session exactly, including the settings it started with; for `Storage` only.
    /// Checks the same version rules as the designated initializer.
    public init(
        restoring devEUI: EUI64, devAddr: DevAddr, macVersion: MACVersion, region: Region, activation: Activation,
        keys: NetworkSessionKeys, sessionKeyID: [UInt8], fCntUp: UInt32?, lastConfirmedUplinkFCnt: UInt32?,
        lastConfirmedDownlinkFCnt: UInt32?, downlinkCounters: DownlinkFrameCounters, macSettings: MACSettings,
        provisionedMACSettings: MACSettings, adrEnabled: Bool, adrHistory: UplinkSignalHistory,
        pendingMACRequests: [DownlinkMACCommand], deviceStatus: DeviceStatus?, pendingConfirmedDownlinkID: UUID?,
        macReconciliation: MACReconciliation = MACReconciliation()
    ) throws(NetworkSessionError) {
        try self.init(
            devEUI: devEUI, devAddr: devAddr, macVersion: macVersion, region: region, activation: activation, keys: keys,
            sessionKeyID: sessionKeyID, macSettings: provisionedMACSettings, fCntUp: fCntUp, downlinkCounters: downlinkCounters)
        self.lastConfirmedUplinkFCnt = lastConfirmedUplinkFCnt
        self.lastConfirmedDownlinkFCnt = lastConfirmedDownlinkFCnt
        self.macSettings = macSettings
        self.adrEnabled = adrEnabled
        self.adrHistory = adrHistory
        self.pendingMACRequests = pendingMACRequests
        self.deviceStatus = deviceStatus
        self.pendingConfirmedDownlinkID = pendingConfirmedDownlinkID
        self.macReconciliation = macReconciliation
    }
}
