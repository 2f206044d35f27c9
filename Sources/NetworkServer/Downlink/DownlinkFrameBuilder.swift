import BackendInterfaces
import LoRaWAN

/// Builds a class A or class C data downlink for a session (LoRaWAN 1.1 §4.3):
/// `MHDR | DevAddr | FCtrl | FCnt | FOpts | [FPort | FRMPayload] | MIC`.
///
/// - MHDR: ConfirmedDataDown when the application asked for it, else UnconfirmedDataDown.
/// - FCtrl: ADR mirrors the device's ADR request; ACK when answering a confirmed uplink; FPending.
/// - FCnt: 1.0.x the shared FCntDown; 1.1 NFCntDown for FPort 0 or no FPort, AFCntDown for FPort > 0,
///   where the value is the one the Application Server reserved and encrypted with.
/// - FOpts: MAC commands, encrypted with NwkSEncKey in the device's variant in 1.1. Commands longer than
///   15 bytes go in an FPort 0 payload (encrypted with NwkSKey or NwkSEncKey) when there is no
///   application payload.
/// - MIC: NwkSKey (1.0.x; B0 carries no ConfFCnt), SNwkSIntKey with ConfFCnt (1.1).
///
/// Encryption and MIC are `DataFrameCrypto.seal`'s; the application payload passes through untouched
/// (the Network Server cannot read it). A frame longer than the region allows at the window's data rate
/// is refused.
public enum DownlinkFrameBuilder {
    /// The most MAC command bytes FOpts carries (FOptsLen is 4 bits).
    public static let maximumFOptsLength = 15

    /// Builds `content` for `session`, to be sent at `dataRate`.
    public static func build(
        _ content: DownlinkFrameContent, for session: NetworkSession, dataRate: DataRateIndex
    ) throws(DownlinkFrameError) -> DownlinkFrame {
        let macBytes = MACCommandCodec.encode(content.macCommands)
        let application = content.application
        if let application {
            guard application.devEUI == session.devEUI, application.sessionKeyID == session.sessionKeyID else {
                throw .sessionMismatch(downlinkID: application.id)
            }
            guard application.fPort != 0 else { throw .applicationFPortZero(downlinkID: application.id) }
            guard macBytes.count <= maximumFOptsLength else { throw .macCommandsTooLongForFOpts(length: macBytes.count) }
        }
        let counter = session.downlinkCounters.kind(forApplicationPayload: application != nil)
        let next = session.downlinkCounters.next(counter) ?? 0
        let fCnt: UInt32
        if let application {
            guard application.fCnt >= next else {
                throw .applicationCounterAlreadyUsed(fCnt: application.fCnt, next: next, counter: counter)
            }
            fCnt = application.fCnt
        } else {
            fCnt = next
        }
        guard fCnt != .max else { throw .counterExhausted(counter) }

        let inFOpts = application != nil || macBytes.count <= maximumFOptsLength
        let fPort: UInt8? = application?.fPort ?? (inFOpts ? nil : 0)
        let frame = DataFrame(
            confirmed: application?.confirmed ?? false, devAddr: session.devAddr,
            fCtrl: .downlink(DownlinkFCtrl(adr: session.adrEnabled, ack: content.acknowledgedUplinkFCnt != nil,
                                           fPending: content.framePending)),
            fCnt16: UInt16(truncatingIfNeeded: fCnt), fOpts: inFOpts ? macBytes : [], fPort: fPort,
            frmPayload: application?.encryptedFRMPayload ?? (inFOpts ? [] : macBytes))
        let confFCnt = UInt16(truncatingIfNeeded: content.acknowledgedUplinkFCnt ?? 0)
        let phyPayload: [UInt8]
        do {
            phyPayload = try DataFrameCrypto.seal(frame, fCnt: fCnt, keys: session.keys, micParameters: MICParameters(confFCnt: confFCnt))
        } catch {
            throw .frame(error)
        }
        try checkLength(phyPayload.count, dataRate: dataRate, session: session)
        return DownlinkFrame(
            phyPayload: phyPayload, fCnt: fCnt, counter: counter, confirmed: frame.confirmed,
            macCommands: content.macCommands, applicationDownlinkID: application?.id)
    }

    /// Refuses a PHYPayload whose MACPayload (everything between MHDR and MIC) exceeds the region's
    /// maximum M at `dataRate` under the session's downlink dwell time (RP002-1.0.3 §2.x.6).
    public static func checkLength(_ phyPayloadLength: Int, dataRate: DataRateIndex,
                                   session: NetworkSession) throws(DownlinkFrameError) {
        let region = session.regionalParameters
        let maximum: MaxPayloadSize
        do {
            _ = try region.dataRate(dataRate, direction: .downlink)
            maximum = try region.maxPayloadSize(dataRate: dataRate, dwellTime: session.macSettings.downlinkDwellTime)
        } catch {
            throw .regional(error)
        }
        let macPayload = phyPayloadLength - 5  // MHDR and MIC
        guard macPayload <= maximum.macPayload else {
            throw .tooLongForDataRate(dataRate, maximumMACPayload: maximum.macPayload, actualMACPayload: macPayload)
        }
    }
}
