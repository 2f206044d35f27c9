import BackendInterfaces
import LoRaWAN

/// Decrypts an uplink's FRMPayload with its session's AppSKey (LoRaWAN 1.0.4 §4.3.3, 1.1 §4.3.3):
/// AES-CTR with `A_i = 01 | 00 00 00 00 | Dir = 0 | DevAddr | FCnt | 00 | i`, where FCnt is the full
/// 32-bit counter the Network Server reconstructed, and DevAddr is the frame's own.
public enum UplinkDecryption {
    public static func decrypt(
        _ uplink: ApplicationUplink, session: ApplicationSession, applicationID: ApplicationID?
    ) throws(UplinkDecryptionError) -> UplinkEvent {
        guard uplink.fPort != 0 else { throw .networkPort }
        guard session.devEUI == uplink.devEUI, session.sessionKeyID == uplink.sessionKeyID else { throw .sessionMismatch }
        let payload = PayloadCipher.cryptFRMPayload(
            uplink.encryptedFRMPayload, key: session.appSKey, direction: .uplink, devAddr: uplink.devAddr, fCnt: uplink.fCnt)
        return UplinkEvent(
            applicationID: applicationID, devEUI: uplink.devEUI, devAddr: uplink.devAddr, fPort: uplink.fPort, fCnt: uplink.fCnt,
            payload: payload, confirmed: uplink.confirmed, dataRate: uplink.dataRate, frequency: uplink.frequency,
            gateways: uplink.receptions, receivedAt: uplink.receivedAt, isABP: session.isABP)
    }
}

/// Why an uplink cannot be decrypted with a session.
public enum UplinkDecryptionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// FPort 0 carries MAC commands under a network key, which the Application Server never holds.
    case networkPort
    /// The session is not the one the uplink names.
    case sessionMismatch

    public var description: String {
        switch self {
        case .networkPort: "an FPort 0 payload is for the Network Server, not the application"
        case .sessionMismatch: "the uplink belongs to another session than the AppSKey offered"
        }
    }
}
