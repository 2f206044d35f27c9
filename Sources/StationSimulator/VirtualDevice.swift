import LoRaWAN

/// An end device for simulation: identity, root keys, channel plan, and the LoRaWAN state machine of a
/// class A device — join, data uplinks, downlinks, MAC command answers. Pure: no I/O, no clock; the
/// `SimulatedStation` carries its frames.
///
/// It follows the device side of the specification it claims (1.0.2, 1.0.3, 1.0.4 or 1.1):
/// - join-requests signed with AppKey (1.0.x) or NwkKey (1.1), with the version's DevNonce rule;
/// - a join-accept is decrypted and its MIC checked against the pending DevNonce only (1.1 with OptNeg:
///   JSIntKey over JoinReqType | JoinEUI | DevNonce; otherwise the 1.0 MIC), and a 1.1 device refuses a
///   JoinNonce that does not grow;
/// - session keys: 1.0 NwkSKey/AppSKey; 1.1 FNwkSIntKey/SNwkSIntKey/NwkSEncKey/AppSKey; a 1.1 device
///   answered with OptNeg = 0 falls back to the 1.0 keys under NwkKey and behaves as a 1.0 device;
/// - uplinks: application payload under AppSKey, FOpts under NwkSEncKey (1.1, in the device's FOpts
///   variant), MIC 1.0 or 1.1 (TxDr, TxCh, ConfFCnt), ACK of a confirmed downlink;
/// - downlinks: MIC under NwkSKey or SNwkSIntKey, FCntDown (1.0) or NFCntDown/AFCntDown (1.1) must grow,
///   payload and FOpts decrypted, MAC commands answered in the next uplink.
///
/// `description` names the device and its state, never a key.
public struct VirtualDevice: Sendable, CustomStringConvertible {
    public let devEUI: EUI64
    public let joinEUI: EUI64
    public let macVersion: MACVersion
    public let rootKeys: VirtualDeviceRootKeys
    /// The FOpts block layout a 1.1 device implements (see `PayloadCipher.cryptFOpts`).
    public var fOptsVariant: FOptsEncryptionVariant
    /// The ADR bit of uplinks: the network may steer data rate and power (LoRaWAN 1.1 §4.3.1.1).
    public var adr: Bool
    /// Battery level reported in DevStatusAns: 0 external power, 1-254 level, 255 unknown.
    public var batteryLevel: UInt8
    /// SNR margin reported in DevStatusAns, dB (-32...31).
    public var statusMargin: Int8
    public internal(set) var channels: VirtualDeviceChannelPlan
    public internal(set) var devNonces: DevNonceSequence
    /// The session of the last accepted join.
    public internal(set) var session: VirtualDeviceSession?
    /// The DevNonce of the join-request awaiting its join-accept.
    public internal(set) var pendingDevNonce: DevNonce?
    /// The JoinNonce of the last accepted join-accept (a 1.1 device refuses any that is not above it).
    public internal(set) var lastJoinNonce: JoinNonce?
    /// MAC command answers for the next uplink.
    var pendingAnswers: [QueuedMACAnswer] = []

    /// - Parameters:
    ///   - nwkKey: required for LoRaWAN 1.1, refused for 1.0.x.
    ///   - region: the channel plan; the device starts on its default channels.
    ///   - nextDevNonce: where a 1.0.4/1.1 device's DevNonce counter starts (what it stored last time).
    ///   - randomSeed: fixes the random DevNonces of a 1.0.x device (tests).
    public init(
        devEUI: EUI64, joinEUI: EUI64, macVersion: MACVersion, appKey: AppKey, nwkKey: NwkKey? = nil,
        region: Region = .eu868, nextDevNonce: UInt16 = 0, randomSeed: UInt64? = nil,
        fOptsVariant: FOptsEncryptionVariant = .errata, adr: Bool = true
    ) throws(VirtualDeviceError) {
        if macVersion.hasSeparateNetworkRootKey {
            guard nwkKey != nil else { throw .missingNwkKey(devEUI: devEUI) }
        } else if nwkKey != nil {
            throw .unexpectedNwkKey(devEUI: devEUI, macVersion: macVersion)
        }
        self.devEUI = devEUI
        self.joinEUI = joinEUI
        self.macVersion = macVersion
        self.rootKeys = VirtualDeviceRootKeys(appKey: appKey, nwkKey: nwkKey)
        self.fOptsVariant = fOptsVariant
        self.adr = adr
        self.batteryLevel = 254
        self.statusMargin = 10
        self.channels = VirtualDeviceChannelPlan(region: region)
        self.devNonces = DevNonceSequence(rule: macVersion.devNonceRule, next: nextDevNonce, seed: randomSeed)
    }

    public var isJoined: Bool { session != nil }

    public var description: String {
        var text = "device \(devEUI) (LoRaWAN \(macVersion), JoinEUI \(joinEUI), \(channels.parameters.region))"
        if let session { text += ", \(session)" } else { text += ", not joined" }
        if let pendingDevNonce { text += ", join pending with DevNonce \(pendingDevNonce)" }
        return text
    }

    // MARK: Join-request

    /// Builds a join-request with a fresh DevNonce and waits for its join-accept (LoRaWAN 1.1 §6.2.2).
    /// A join-request sent while another is pending replaces it: only the newest DevNonce is accepted.
    public mutating func makeJoinRequest() throws(VirtualDeviceError) -> VirtualDeviceTransmission {
        guard let channel = channels.nextJoinChannel() else {
            throw .noUsableChannel(devEUI: devEUI, dataRate: channels.dataRate)
        }
        guard let devNonce = devNonces.take() else { throw .devNoncesExhausted(devEUI: devEUI) }
        var request = JoinRequest(joinEUI: joinEUI, devEUI: devEUI, devNonce: devNonce)
        let message = request.encodedWithoutMIC
        if let nwkKey = rootKeys.nwkKey {
            request.mic = JoinMIC.computeJoinRequestMIC(nwkKey: nwkKey, message: message)
        } else {
            request.mic = JoinMIC.computeLegacyJoinRequestMIC(appKey: rootKeys.appKey, message: message)
        }
        pendingDevNonce = devNonce
        return VirtualDeviceTransmission(
            phyPayload: message + request.mic.bytes, dataRate: channels.dataRate, frequency: channel.frequency,
            channelIndex: channel.index, fCnt: nil)
    }

    /// Stops listening for the pending join-accept (its receive windows have passed).
    public mutating func abandonJoin() {
        pendingDevNonce = nil
    }

    /// Limits uplinks to the frequencies the gateway hears (from its `router_config`).
    public mutating func restrictChannels(toFrequencies frequencies: Set<Frequency>?) {
        channels.restrict(toFrequencies: frequencies)
    }
}
