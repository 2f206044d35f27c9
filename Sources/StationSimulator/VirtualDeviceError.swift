import LoRaWAN

/// Why a virtual device refused to build a frame or refused a frame it received. Each case reads as a
/// sentence; none carries key material (DESIGN.md invariant 9), only identifiers and counters.
public enum VirtualDeviceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A LoRaWAN 1.1 device has two root keys; the NwkKey is missing.
    case missingNwkKey(devEUI: EUI64)
    /// A 1.0.x device has one root key (AppKey); an NwkKey was given as well.
    case unexpectedNwkKey(devEUI: EUI64, macVersion: MACVersion)
    /// Every DevNonce the device's rule allows has been used: a 1.0.x device has drawn all 65,536 random
    /// values, a 1.0.4/1.1 device's counter reached 65,535. The device must be re-keyed.
    case devNoncesExhausted(devEUI: EUI64)
    /// A join-accept arrived while the device had no join-request outstanding (it only listens after one).
    case noPendingJoin(devEUI: EUI64)
    /// The bytes are not a frame of the expected kind.
    case malformedFrame(FrameError)
    /// The join-accept's MIC does not verify under the device's root key and pending DevNonce: forged,
    /// for another device, or for another join-request.
    case joinAcceptMICMismatch(devEUI: EUI64)
    /// A LoRaWAN 1.1 device accepts a join-accept only if its JoinNonce is greater than the last one it
    /// accepted (LoRaWAN 1.1 §6.2.3), which defeats a replayed join-accept.
    case joinNonceNotIncreasing(devEUI: EUI64, received: JoinNonce, last: JoinNonce)
    /// The join-accept's CFList does not fit the device's region.
    case invalidCFList(devEUI: EUI64, reason: String)
    /// The device has no session: it must join first.
    case notJoined(devEUI: EUI64)
    /// The downlink is addressed to another DevAddr.
    case downlinkForAnotherDevice(devEUI: EUI64, devAddr: DevAddr)
    /// The downlink's MIC does not verify under the session's network key.
    case downlinkMICMismatch(devEUI: EUI64, devAddr: DevAddr)
    /// The downlink's counter is not above the last one accepted: a replay (LoRaWAN 1.1 §4.3.1.5).
    case downlinkCounterReplayed(devEUI: EUI64, counter: String, received: UInt32, last: UInt32)
    /// FPort 0 carries MAC commands and 225-255 are reserved; applications use 1-223 (224 is the test port).
    case invalidFPort(UInt8)
    /// The frame would be longer than the region allows at the device's data rate (RP002-1.0.3 §2.x.6).
    case payloadTooLarge(size: Int, maximum: Int, dataRate: DataRateIndex)
    /// The 32-bit uplink counter is exhausted; the device must rejoin.
    case uplinkCounterExhausted(devEUI: EUI64)
    /// None of the device's enabled channels is heard by the gateway at the device's data rate.
    case noUsableChannel(devEUI: EUI64, dataRate: DataRateIndex)

    public var description: String {
        switch self {
        case .missingNwkKey(let devEUI):
            "device \(devEUI) is LoRaWAN 1.1 and needs an NwkKey as well as an AppKey"
        case .unexpectedNwkKey(let devEUI, let version):
            "device \(devEUI) is LoRaWAN \(version), which has no NwkKey (only an AppKey)"
        case .devNoncesExhausted(let devEUI):
            "device \(devEUI) has used every DevNonce; it must be re-keyed"
        case .noPendingJoin(let devEUI):
            "device \(devEUI) received a join-accept without an outstanding join-request"
        case .malformedFrame(let error):
            "the frame is malformed: \(error)"
        case .joinAcceptMICMismatch(let devEUI):
            "the join-accept's MIC does not verify for device \(devEUI) and its pending DevNonce"
        case .joinNonceNotIncreasing(let devEUI, let received, let last):
            "device \(devEUI) refused a join-accept with JoinNonce \(received), not above the last accepted \(last)"
        case .invalidCFList(let devEUI, let reason):
            "the join-accept for device \(devEUI) has an invalid CFList: \(reason)"
        case .notJoined(let devEUI):
            "device \(devEUI) has not joined"
        case .downlinkForAnotherDevice(let devEUI, let devAddr):
            "the downlink is for DevAddr \(devAddr), not device \(devEUI)"
        case .downlinkMICMismatch(let devEUI, let devAddr):
            "the downlink's MIC does not verify for device \(devEUI) (DevAddr \(devAddr))"
        case .downlinkCounterReplayed(let devEUI, let counter, let received, let last):
            "device \(devEUI) refused a downlink with \(counter) \(received), not above the last accepted \(last)"
        case .invalidFPort(let port):
            "FPort \(port) is not an application port (1-224)"
        case .payloadTooLarge(let size, let maximum, let dataRate):
            "a MACPayload of \(size) bytes exceeds the \(maximum) bytes allowed at \(dataRate)"
        case .uplinkCounterExhausted(let devEUI):
            "device \(devEUI) has exhausted its 32-bit uplink counter; it must rejoin"
        case .noUsableChannel(let devEUI, let dataRate):
            "device \(devEUI) has no enabled channel at \(dataRate) that the gateway hears"
        }
    }
}
