import LoRaWAN

extension DownlinkMACCommand {
    /// Whether the device answers this command in its next uplink with the uplink command of the same
    /// CID (LoRaWAN 1.1 §5, Table 4), so the Network Server must remember it as pending until then.
    ///
    /// Answers the network itself sends (LinkCheckAns, DeviceTimeAns, ResetConf, RekeyConf,
    /// PingSlotInfoAns, BeaconTimingAns, DeviceModeConf) expect nothing, and ForceRejoinReq is answered
    /// by a rejoin-request, not a MAC command.
    public var expectsAnswer: Bool {
        switch self {
        case .linkADRReq, .dutyCycleReq, .rxParamSetupReq, .devStatusReq, .newChannelReq, .rxTimingSetupReq,
            .txParamSetupReq, .dlChannelReq, .adrParamSetupReq, .rejoinParamSetupReq, .pingSlotChannelReq, .beaconFreqReq:
            true
        case .resetConf, .linkCheckAns, .rekeyConf, .deviceTimeAns, .forceRejoinReq, .pingSlotInfoAns, .beaconTimingAns,
            .deviceModeConf, .proprietary:
            false
        }
    }
}
