import LoRaWAN
import Testing

@testable import StationSimulator

/// The network's side of a device's frames, built with LoRaWAN's own encoders the way the Join Server
/// and the Network Server build them, so the tests check the device against the server's code rather
/// than against itself.
enum NetworkSide {
    static let appKey = AppKey(bytes: (0..<16).map { UInt8(0x10 + $0) })!
    static let nwkKey = NwkKey(bytes: (0..<16).map { UInt8(0xA0 + $0) })!
    static let joinEUI = EUI64(0x70B3_D57E_D000_0001)
    static let netID = NetID(0x000013)!

    static func device(
        _ version: MACVersion, devEUI: EUI64 = EUI64(0x0004_A30B_001C_0530), nextDevNonce: UInt16 = 0, seed: UInt64 = 7,
        region: Region = .eu868
    ) throws -> VirtualDevice {
        try VirtualDevice(
            devEUI: devEUI, joinEUI: joinEUI, macVersion: version, appKey: appKey,
            nwkKey: version == .v1_1 ? nwkKey : nil, region: region, nextDevNonce: nextDevNonce, randomSeed: seed)
    }

    /// The join-accept a Join Server sends for `devNonce` (LoRaWAN 1.0.4 §6.2.6, 1.1 §6.2.3).
    static func joinAccept(
        for device: VirtualDevice, devNonce: DevNonce, joinNonce: UInt32 = 1, devAddr: DevAddr = DevAddr(0x2600_0001),
        optNeg: Bool? = nil, rxDelay: UInt8 = 1, cfList: CFList? = nil, signingKey: AppKey? = nil
    ) throws -> [UInt8] {
        let optNeg = optNeg ?? device.macVersion.hasSeparateNetworkRootKey
        var accept = JoinAccept(
            joinNonce: try #require(JoinNonce(joinNonce)), homeNetID: netID, devAddr: devAddr,
            dlSettings: try #require(DLSettings(optNeg: optNeg, rx1DROffset: 0, rx2DataRate: 0)), rxDelay: rxDelay, cfList: cfList)
        let message = accept.encodedWithoutMIC
        if let signingKey {
            accept.mic = JoinMIC.computeLegacyJoinAcceptMIC(key: signingKey, message: message)
            return try JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: signingKey)
        }
        if device.macVersion.hasSeparateNetworkRootKey {
            if optNeg {
                let jsIntKey = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: nwkKey, devEUI: device.devEUI).jsIntKey
                accept.mic = JoinMIC.computeJoinAcceptMIC(
                    jsIntKey: jsIntKey, joinReqType: .joinRequest, joinEUI: device.joinEUI, devNonce: devNonce.rawValue, message: message)
            } else {
                accept.mic = JoinMIC.computeLegacyJoinAcceptMIC(key: nwkKey, message: message)
            }
            return try JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: nwkKey)
        }
        accept.mic = JoinMIC.computeLegacyJoinAcceptMIC(key: appKey, message: message)
        return try JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: appKey)
    }

    /// Joins `device` with a join-accept built for its join-request.
    static func joined(_ version: MACVersion, devEUI: EUI64 = EUI64(0x0004_A30B_001C_0530), optNeg: Bool? = nil) throws -> VirtualDevice {
        var device = try device(version, devEUI: devEUI)
        _ = try device.makeJoinRequest()
        let devNonce = try #require(device.pendingDevNonce)
        _ = try device.acceptJoin(try joinAccept(for: device, devNonce: devNonce, optNeg: optNeg))
        return device
    }

    /// A downlink as the Network Server seals it: application payload under AppSKey (FPort > 0),
    /// FOpts (1.1) and FPort 0 payloads under the network key, MIC under NwkSKey/SNwkSIntKey.
    static func downlink(
        to session: VirtualDeviceSession, fCnt: UInt32, fPort: UInt8? = nil, payload: [UInt8] = [], macCommands: [DownlinkMACCommand] = [],
        confirmed: Bool = false, ack: Bool = false, confFCnt: UInt16 = 0
    ) throws -> [UInt8] {
        let macBytes = MACCommandCodec.encode(macCommands)
        var frmPayload = payload
        if let fPort, fPort > 0 {
            frmPayload = PayloadCipher.cryptFRMPayload(payload, key: session.appSKey, direction: .downlink, devAddr: session.devAddr, fCnt: fCnt)
        }
        let frame = DataFrame(
            confirmed: confirmed, devAddr: session.devAddr, fCtrl: .downlink(DownlinkFCtrl(ack: ack)),
            fCnt16: UInt16(truncatingIfNeeded: fCnt), fOpts: fPort == 0 ? [] : macBytes, fPort: fPort,
            frmPayload: fPort == 0 ? macBytes : frmPayload)
        return try DataFrameCrypto.seal(frame, fCnt: fCnt, keys: session.networkKeys, micParameters: MICParameters(confFCnt: confFCnt))
    }

    /// The clear MAC commands of an uplink the device built.
    static func uplinkMACCommands(_ phyPayload: [UInt8], session: VirtualDeviceSession, fCnt: UInt32) throws -> [UplinkMACCommand] {
        let frame = try DataFrame(decoding: phyPayload)
        let clear = try DataFrameCrypto.cryptFOpts(frame.fOpts, frame: frame, fCnt: fCnt, keys: session.networkKeys)
        return try MACCommandCodec.decodeUplink(clear)
    }
}
