import LoRaWAN

extension VirtualDevice {
    /// Reads a join-accept as the device does (LoRaWAN 1.0.4 §6.2.6, 1.1 §6.2.3): decrypt with the root
    /// key, check the MIC for the pending DevNonce, check JoinNonce (1.1), derive the session keys, reset
    /// the channel plan with the CFList.
    ///
    /// A refused join-accept leaves the join pending, so a forged frame cannot cancel the real one.
    public mutating func acceptJoin(_ phyPayload: [UInt8]) throws(VirtualDeviceError) -> JoinResult {
        guard let devNonce = pendingDevNonce else { throw .noPendingJoin(devEUI: devEUI) }
        let accept: JoinAccept
        do {
            let encrypted = try EncryptedJoinAccept(bytes: phyPayload)
            // A 1.1 device's join-accept (answering a join-request) is encrypted under NwkKey, whatever OptNeg.
            if let nwkKey = rootKeys.nwkKey {
                accept = try encrypted.decrypt(key: nwkKey)
            } else {
                accept = try encrypted.decrypt(key: rootKeys.appKey)
            }
        } catch {
            throw .malformedFrame(error)
        }
        // OptNeg is RFU for a 1.0.x device, which ignores it.
        let optNeg = macVersion.hasSeparateNetworkRootKey && accept.dlSettings.optNeg
        guard computeJoinAcceptMIC(accept, devNonce: devNonce, optNeg: optNeg) == accept.mic else {
            throw .joinAcceptMICMismatch(devEUI: devEUI)
        }
        // LoRaWAN 1.1 §6.2.3: the device keeps the last JoinNonce and accepts only a greater one. LoRaMac-node
        // applies this to any 1.1 device, whichever OptNeg the network chose.
        if macVersion.hasSeparateNetworkRootKey, let last = lastJoinNonce, accept.joinNonce <= last {
            throw .joinNonceNotIncreasing(devEUI: devEUI, received: accept.joinNonce, last: last)
        }
        let cfList: RegionalCFList?
        do {
            cfList = try accept.cfList.map { list throws(RegionalParametersError) in try channels.parameters.decodeCFList(list.bytes) }
        } catch {
            throw .invalidCFList(devEUI: devEUI, reason: error.description)
        }

        let (networkKeys, appSKey) = deriveSessionKeys(accept, devNonce: devNonce, optNeg: optNeg)
        session = VirtualDeviceSession(
            devAddr: accept.devAddr, netID: accept.homeNetID, joinNonce: accept.joinNonce, devNonce: devNonce,
            networkKeys: networkKeys, appSKey: appSKey, rxDelay: max(1, Int(accept.rxDelay)),
            rx1DROffset: accept.dlSettings.rx1DROffset,
            rx2DataRate: DataRateIndex(rawValue: accept.dlSettings.rx2DataRate) ?? channels.parameters.rx2.dataRate)
        channels.reset(cfList: cfList)
        pendingDevNonce = nil
        lastJoinNonce = accept.joinNonce
        pendingAnswers = []
        return JoinResult(
            devEUI: devEUI, devAddr: accept.devAddr, netID: accept.homeNetID, joinNonce: accept.joinNonce,
            devNonce: devNonce, optNeg: optNeg, isLoRaWAN11Session: networkKeys.isLoRaWAN11,
            rxDelay: max(1, Int(accept.rxDelay)), rx1DROffset: accept.dlSettings.rx1DROffset,
            rx2DataRate: DataRateIndex(rawValue: accept.dlSettings.rx2DataRate) ?? channels.parameters.rx2.dataRate,
            channelCount: channels.channels.count)
    }

    /// The MIC the join-accept must carry for `devNonce`.
    private func computeJoinAcceptMIC(_ accept: JoinAccept, devNonce: DevNonce, optNeg: Bool) -> MIC {
        let message = accept.encodedWithoutMIC
        guard let nwkKey = rootKeys.nwkKey else {
            return JoinMIC.computeLegacyJoinAcceptMIC(key: rootKeys.appKey, message: message)
        }
        guard optNeg else {
            // LoRaWAN 1.1 §6.2.3: a 1.0 network (OptNeg = 0) signs with the 1.0 formula under NwkKey.
            return JoinMIC.computeLegacyJoinAcceptMIC(key: nwkKey, message: message)
        }
        let jsIntKey = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: nwkKey, devEUI: devEUI).jsIntKey
        return JoinMIC.computeJoinAcceptMIC(
            jsIntKey: jsIntKey, joinReqType: .joinRequest, joinEUI: joinEUI, devNonce: devNonce.rawValue, message: message)
    }

    private func deriveSessionKeys(_ accept: JoinAccept, devNonce: DevNonce, optNeg: Bool) -> (NetworkSessionKeys, AppSKey) {
        guard let nwkKey = rootKeys.nwkKey else {
            let keys = SessionKeyDerivation.deriveLegacySessionKeys(
                appKey: rootKeys.appKey, joinNonce: accept.joinNonce, netID: accept.homeNetID, devNonce: devNonce)
            return (.legacy(nwkSKey: keys.nwkSKey), keys.appSKey)
        }
        guard optNeg else {
            let keys = SessionKeyDerivation.deriveSessionKeysForOptNegZero(
                nwkKey: nwkKey, joinNonce: accept.joinNonce, netID: accept.homeNetID, devNonce: devNonce)
            return (.legacy(nwkSKey: keys.optNegZeroNwkSKey), keys.appSKey)
        }
        let keys = SessionKeyDerivation.deriveSessionKeys(
            nwkKey: nwkKey, appKey: rootKeys.appKey, joinNonce: accept.joinNonce, joinEUI: joinEUI, devNonce: devNonce)
        return (
            .current(fNwkSIntKey: keys.fNwkSIntKey, sNwkSIntKey: keys.sNwkSIntKey, nwkSEncKey: keys.nwkSEncKey, fOptsVariant: fOptsVariant),
            keys.appSKey
        )
    }
}
