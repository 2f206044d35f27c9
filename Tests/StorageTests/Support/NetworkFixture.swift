import BackendInterfaces
import Foundation
import LoRaWAN
import NetworkServer

/// Network Server records for the storage tests. Keys are random, so a dump can be searched for them;
/// the MAC state is far from the defaults, so a field the store forgets shows in a round trip.
enum NetworkFixture {
    static func devEUI(_ n: UInt64) -> EUI64 { EUI64(0x70B3_D57E_E000_0000 + n) }

    static let devAddr = DevAddr(0x2601_1F2A)

    static func device(_ n: UInt64, version: MACVersion = .v1_1, region: Region? = .eu868, activation: NetworkSession.Activation = .otaa) -> NetworkDevice {
        NetworkDevice(
            devEUI: devEUI(n), joinEUI: activation == .otaa ? JoinFixture.joinEUI : nil, macVersion: version, region: region,
            deviceClass: n % 2 == 0 ? .classC : .classA, activation: activation, createdAt: Fixture.time(Int(n)))
    }

    static func legacyKeys() -> NetworkSessionKeys { .legacy(nwkSKey: NwkSKey(bytes: Fixture.randomBytes(16))!) }

    static func currentKeys(variant: FOptsEncryptionVariant = .errata) -> NetworkSessionKeys {
        .current(
            fNwkSIntKey: FNwkSIntKey(bytes: Fixture.randomBytes(16))!, sNwkSIntKey: SNwkSIntKey(bytes: Fixture.randomBytes(16))!,
            nwkSEncKey: NwkSEncKey(bytes: Fixture.randomBytes(16))!, fOptsVariant: variant)
    }

    /// A fresh session as a join leaves it: default MAC settings, no uplink yet.
    static func session(_ n: UInt64, version: MACVersion = .v1_1, devAddr: DevAddr = devAddr, region: Region = .eu868) -> NetworkSession {
        let keys = version.hasSeparateNetworkRootKey ? currentKeys() : legacyKeys()
        // swiftlint:disable:next force_try
        return try! NetworkSession(
            devEUI: devEUI(n), devAddr: devAddr, macVersion: version, region: region, activation: .otaa, keys: keys,
            sessionKeyID: Fixture.randomBytes(16))
    }

    /// Every field away from its default: changed settings, provisioned ones different again, pending
    /// requests (a proprietary one among them), ADR history, device status, counters.
    static func busySession(_ n: UInt64, version: MACVersion, region: Region = .eu868) throws -> NetworkSession {
        let keys = version.hasSeparateNetworkRootKey ? currentKeys(variant: n % 2 == 0 ? .asPublished : .errata) : legacyKeys()
        var provisioned = MACSettings.defaults(for: region, rx1Delay: RXTimingDelay(truncatingIfNeeded: 5))
        provisioned.rejoinMaxTimeN = RejoinMaxTimeN(truncatingIfNeeded: 3)
        var current = provisioned
        current.rx1Delay = RXTimingDelay(truncatingIfNeeded: 2)
        current.rx1DROffset = RX1DROffset(truncatingIfNeeded: 3)
        current.rx2DataRate = .dr3
        current.rx2Frequency = Frequency(hertz: 869_525_000)
        current.dataRate = .dr5
        current.txPower = TXPower(truncatingIfNeeded: 4)
        current.nbTrans = NbTrans(truncatingIfNeeded: 3)
        current.maxDutyCycle = MaxDutyCycle(truncatingIfNeeded: 7)
        current.uplinkChannels.append(RegionalChannel(index: 3, frequency: Frequency(hertz: 867_100_000), dataRates: .dr0 ... .dr5))
        current.uplinkChannels.append(RegionalChannel(index: 7, frequency: Frequency(hertz: 867_900_000), dataRates: .dr6 ... .dr6))
        current.enabledUplinkChannels = [0, 2, 3, 7]
        current.downlinkFrequencies = [3: Frequency(hertz: 868_500_000), 0: Frequency(hertz: 869_100_000)]
        current.uplinkDwellTime = .limited400ms
        current.downlinkDwellTime = .unlimited
        current.maxEIRP = MaxEIRP(truncatingIfNeeded: 13)
        current.adrAckLimitExponent = ADRAckLimitExponent(truncatingIfNeeded: 6)
        current.adrAckDelayExponent = ADRAckDelayExponent(truncatingIfNeeded: 0)
        current.rejoinMaxTimeN = RejoinMaxTimeN(truncatingIfNeeded: 15)
        current.rejoinMaxCountN = RejoinMaxCountN(truncatingIfNeeded: 1)
        current.pingSlotPeriodicity = PingSlotPeriodicity(truncatingIfNeeded: 7)
        current.deviceClass = .classC

        let requests: [DownlinkMACCommand] = [
            .linkADRReq(dataRate: .dr5, txPower: TXPower(truncatingIfNeeded: 4), chMask: 0x008D, chMaskCntl: ChannelMaskControl(truncatingIfNeeded: 0), nbTrans: NbTrans(truncatingIfNeeded: 3)),
            .devStatusReq,
            // A proprietary command swallows every byte after it on air: the store must keep it one command.
            .proprietary(cid: ProprietaryCID(rawValue: 0x80)!, payload: [0xDE, 0xAD]),
            .newChannelReq(chIndex: 3, frequency: try ChannelFrequency(hertz: 867_100_000), drRange: DataRateRange(minDR: .dr0, maxDR: .dr5)),
            .rxTimingSetupReq(delay: RXTimingDelay(truncatingIfNeeded: 2)),
        ]
        let downlinkCounters: DownlinkFrameCounters =
            keys.isLoRaWAN11 ? .separate(nFCntDown: 12, aFCntDown: 70_000) : .shared(fCntDown: 70_012)
        var history = UplinkSignalHistory(capacity: 20)
        for (offset, snr) in [-7.25, 3.5, -19.75, 0.1].enumerated() {
            history.record(.init(fCnt: 65_530 + UInt32(offset), maxSNR: snr, gatewayCount: offset + 1))
        }
        return try NetworkSession(
            restoring: devEUI(n), devAddr: devAddr, macVersion: version, region: region, activation: n % 3 == 0 ? .abp : .otaa,
            keys: keys, sessionKeyID: Fixture.randomBytes(16), fCntUp: 65_533, lastConfirmedUplinkFCnt: 65_533,
            lastConfirmedDownlinkFCnt: 69_999, downlinkCounters: downlinkCounters, macSettings: current,
            provisionedMACSettings: provisioned, adrEnabled: true, adrHistory: history, pendingMACRequests: requests,
            deviceStatus: DeviceStatus(battery: DevStatusBattery(rawValue: 200), margin: DevStatusMargin(decibels: -12)!, fCnt: 65_500),
            pendingConfirmedDownlinkID: UUID(), macReconciliation: reconciliation(version))
    }

    /// Refused operator requests and, for 1.1, a queued ForceRejoinReq.
    static func reconciliation(_ version: MACVersion) throws -> MACReconciliation {
        MACReconciliation(
            rejections: [
                RejectedMACRequest(
                    request: .rxParamSetupReq(rx1DROffset: RX1DROffset(truncatingIfNeeded: 1), rx2DataRate: .dr3, frequency: try ChannelFrequency(hertz: 869_100_000)),
                    answer: .rxParamSetupAns([.channelACK])),
                RejectedMACRequest(
                    request: .newChannelReq(chIndex: 9, frequency: try ChannelFrequency(hertz: 867_500_000), drRange: DataRateRange(minDR: .dr0, maxDR: .dr5)),
                    answer: .newChannelAns([.dataRateRangeOK])),
            ],
            forceRejoin: version.hasSeparateNetworkRootKey
                ? ForceRejoinRequest(rejoinType: .type2, dataRate: .dr4, maxRetries: ForceRejoinMaxRetries(truncatingIfNeeded: 5), period: ForceRejoinPeriod(truncatingIfNeeded: 6))
                : nil)
    }

    /// Every desired setting set, channels out of index order.
    static func desired() -> DesiredMACSettings {
        DesiredMACSettings(
            rx1DROffset: RX1DROffset(truncatingIfNeeded: 2), rx2DataRate: .dr3, rx2Frequency: Frequency(hertz: 869_100_000),
            rx1Delay: RXTimingDelay(truncatingIfNeeded: 5), maxDutyCycle: MaxDutyCycle(truncatingIfNeeded: 0),
            channels: [
                RegionalChannel(index: 7, frequency: Frequency(hertz: 867_900_000), dataRates: .dr6 ... .dr6),
                RegionalChannel(index: 3, frequency: Frequency(hertz: 867_100_000), dataRates: .dr0 ... .dr5),
            ],
            rejoin: DesiredRejoinParameters(maxTimeN: RejoinMaxTimeN(truncatingIfNeeded: 15), maxCountN: RejoinMaxCountN(truncatingIfNeeded: 0)))
    }

    static func downlink(_ n: UInt64, fCnt: UInt32, sessionKeyID: [UInt8] = [1, 2, 3, 4], confirmed: Bool = false) -> ApplicationDownlink {
        ApplicationDownlink(
            id: UUID(), devEUI: devEUI(n), sessionKeyID: sessionKeyID, fPort: UInt8(1 + fCnt % 200), fCnt: fCnt,
            encryptedFRMPayload: Fixture.randomBytes(Int(fCnt % 40)), confirmed: confirmed)
    }
}

extension NetworkSession {
    /// The session after one more accepted uplink (counter-only change, as the uplink path makes).
    func afterUplink(_ fCnt: UInt32, confirmed: Bool = false, snr: Double = 5.5, dataRate: DataRateIndex? = nil) -> NetworkSession {
        var next = self
        let context = UplinkRadioContext(
            dataRate: dataRate ?? macSettings.dataRate, frequency: Frequency(hertz: 868_100_000), gatewayCount: 2, bestSNR: snr, gpsTime: nil)
        next.recordAcceptedUplink(fCnt: fCnt, confirmed: confirmed, adr: true, context: context)
        return next
    }

    /// The session with FCntUp set as given, even backwards (what a stale instance would hold).
    func withFCntUp(_ fCnt: UInt32?) -> NetworkSession {
        var next = self
        next.fCntUp = fCnt
        return next
    }
}
