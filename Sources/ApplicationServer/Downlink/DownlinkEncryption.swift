import BackendInterfaces
import Foundation
import LoRaWAN

/// Encrypts an application downlink for the Network Server's queue (LoRaWAN 1.1 §4.3.3): AES-CTR under
/// the AppSKey with `A_i = 01 | 00 00 00 00 | Dir = 1 | DevAddr | FCnt | 00 | i`, FCnt being the counter
/// the Network Server reserved (AFCntDown for 1.1, FCntDown for 1.0).
public enum DownlinkEncryption {
    /// - Throws: `.sessionNotReady` when `reservation` is for another session than `session`,
    ///   `.payloadTooLong` when the payload does not fit the data rate the reservation reports.
    public static func encrypt(
        _ request: DownlinkRequest, session: ApplicationSession, reservation: DownlinkCounterReservation, id: UUID
    ) throws(DownlinkError) -> ApplicationDownlink {
        guard session.devEUI == request.devEUI, session.sessionKeyID == reservation.sessionKeyID else {
            throw .sessionNotReady(request.devEUI)
        }
        guard request.payload.count <= reservation.maximumPayloadSize else {
            throw .payloadTooLong(size: request.payload.count, maximum: max(0, reservation.maximumPayloadSize))
        }
        let encrypted = PayloadCipher.cryptFRMPayload(
            request.payload, key: session.appSKey, direction: .downlink, devAddr: session.devAddr, fCnt: reservation.fCnt)
        return ApplicationDownlink(
            id: id, devEUI: request.devEUI, sessionKeyID: reservation.sessionKeyID, fPort: request.fPort, fCnt: reservation.fCnt,
            encryptedFRMPayload: encrypted, confirmed: request.confirmed)
    }

    /// Decrypts a queued downlink back, to show an application what it queued.
    public static func decrypt(_ downlink: ApplicationDownlink, session: ApplicationSession) -> [UInt8]? {
        guard session.devEUI == downlink.devEUI, session.sessionKeyID == downlink.sessionKeyID else { return nil }
        return PayloadCipher.cryptFRMPayload(
            downlink.encryptedFRMPayload, key: session.appSKey, direction: .downlink, devAddr: session.devAddr, fCnt: downlink.fCnt)
    }
}
