import ReferenceVectors
import ApplicationServer
import BackendInterfaces
import Foundation
import LoRaWAN
import Testing

@Suite("Uplink decryption")
struct UplinkDecryptionTests {
    @Test("FRMPayload decryption and downlink encryption match the published vectors")
    func vectors() throws {
        let file = try VectorFile.load("frm_payload_crypt")
        var uplinks = 0
        var downlinks = 0
        for vector in file.vectors {
            let key = try #require(AppSKey(bytes: try vector.hex("key")), "\(vector.id)")
            let devAddr = DevAddr(try vector.hex("dev_addr").reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            let fCnt = UInt32(try vector.int("fcnt"))
            let plaintext = try vector.hex("plaintext")
            let ciphertext = try vector.expectedHex("ciphertext")
            let session = ApplicationSession(devEUI: Fixtures.devEUI, devAddr: devAddr, sessionKeyID: [1], appSKey: key, createdAt: Fixtures.t0)
            if try vector.string("direction") == "uplink" {
                var uplink = Fixtures.uplink(sessionKeyID: [1])
                uplink.devAddr = devAddr
                uplink.fCnt = fCnt
                uplink.encryptedFRMPayload = ciphertext
                let event = try UplinkDecryption.decrypt(uplink, session: session, applicationID: nil)
                #expect(event.payload == plaintext, "\(vector.id)")
                uplinks += 1
            } else {
                let request = try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 1, payload: plaintext, confirmed: false)
                let reservation = DownlinkCounterReservation(sessionKeyID: [1], fCnt: fCnt, maximumPayloadSize: 242)
                let downlink = try DownlinkEncryption.encrypt(request, session: session, reservation: reservation, id: UUID())
                #expect(downlink.encryptedFRMPayload == ciphertext, "\(vector.id)")
                downlinks += 1
            }
        }
        #expect(uplinks >= 5 && downlinks >= 1)
    }

    @Test("the event carries the uplink's metadata and the decrypted payload")
    func eventFields() throws {
        let uplink = Fixtures.uplink(payload: Array("hello".utf8), fCnt: 70_000)
        let event = try UplinkDecryption.decrypt(uplink, session: Fixtures.session, applicationID: Fixtures.applicationID)
        #expect(event.payload == Array("hello".utf8))
        #expect(event.fCnt == 70_000, "the full 32-bit counter, not its low 16 bits")
        #expect(event.applicationID == Fixtures.applicationID)
        #expect(event.devEUI == Fixtures.devEUI && event.devAddr == Fixtures.devAddr && event.fPort == 10)
        #expect(event.dataRate == .dr5 && event.frequency.hertz == 868_100_000)
        #expect(event.gateways == uplink.receptions && event.receivedAt == uplink.receivedAt)
    }

    @Test("the 32-bit counter is used: the same frame under FCnt + 65536 does not decrypt to the same bytes")
    func fullCounter() throws {
        var uplink = Fixtures.uplink(payload: [0xAA, 0xBB], fCnt: 5)
        uplink.fCnt = 5 + 65_536
        let event = try UplinkDecryption.decrypt(uplink, session: Fixtures.session, applicationID: nil)
        #expect(event.payload != [0xAA, 0xBB])
    }

    @Test("an FPort 0 frame and a frame of another session are refused, not decrypted")
    func refusals() {
        #expect(throws: UplinkDecryptionError.networkPort) {
            try UplinkDecryption.decrypt(Fixtures.uplink(fPort: 0), session: Fixtures.session, applicationID: nil)
        }
        #expect(throws: UplinkDecryptionError.sessionMismatch) {
            try UplinkDecryption.decrypt(Fixtures.uplink(sessionKeyID: [9, 9]), session: Fixtures.session, applicationID: nil)
        }
    }
}
