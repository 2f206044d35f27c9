import LoRaWAN

extension VirtualDevice {
    /// A device activated by personalisation: its DevAddr and session keys are given, and it sends data
    /// uplinks at once, without a join. Insecure by nature (keys and counters for life); for testing a
    /// network's ABP support.
    ///
    /// It never joins: its JoinEUI is zero and its root keys are all-zero placeholders that no Join
    /// Server holds. A LoRaWAN 1.1 device announces its (re)start with ResetInd in every uplink until a
    /// downlink arrives (LoRaWAN 1.1 §5.1), unless `indicatesReset` is `false`.
    ///
    /// - Parameters:
    ///   - networkKeys: NwkSKey for 1.0.x, the three 1.1 keys for 1.1 (in the FOpts variant the device implements).
    ///   - fCntUp: the counter of its next uplink (what it kept from before).
    public init(
        abpDevEUI devEUI: EUI64, devAddr: DevAddr, macVersion: MACVersion, networkKeys: NetworkSessionKeys, appSKey: AppSKey,
        region: Region = .eu868, fCntUp: UInt32 = 0, indicatesReset: Bool = true, adr: Bool = true
    ) throws(VirtualDeviceError) {
        guard networkKeys.isLoRaWAN11 == macVersion.hasSeparateNetworkRootKey else {
            throw macVersion.hasSeparateNetworkRootKey
                ? .missingNwkKey(devEUI: devEUI) : .unexpectedNwkKey(devEUI: devEUI, macVersion: macVersion)
        }
        let placeholder = [UInt8](repeating: 0, count: 16)
        var variant = FOptsEncryptionVariant.errata
        if case .current(_, _, _, let fOptsVariant) = networkKeys { variant = fOptsVariant }
        try self.init(
            devEUI: devEUI, joinEUI: EUI64(0), macVersion: macVersion, appKey: AppKey(bytes: placeholder)!,
            nwkKey: macVersion.hasSeparateNetworkRootKey ? NwkKey(bytes: placeholder) : nil, region: region,
            fOptsVariant: variant, adr: adr)
        let parameters = channels.parameters
        var session = VirtualDeviceSession(
            devAddr: devAddr, netID: NetID(0)!, joinNonce: JoinNonce(0)!, devNonce: DevNonce(0), networkKeys: networkKeys,
            appSKey: appSKey, rxDelay: 1, rx1DROffset: 0, rx2DataRate: parameters.rx2.dataRate)
        session.fCntUp = fCntUp
        // RekeyInd is for OTAA sessions; an ABP 1.1 device says ResetInd instead.
        session.awaitsRekeyConf = false
        self.session = session
        if networkKeys.isLoRaWAN11 && indicatesReset {
            pendingAnswers.append(QueuedMACAnswer(command: .resetInd(minor: .lorawan1_1), sticky: true))
        }
    }
}
