import ApplicationServer
import BackendInterfaces
import Foundation
import LoRaWAN
import Testing

@Suite("Downlinks")
struct DownlinkTests {
    @Test("FPort must be an application port", arguments: [0, 224, 225, 255, 256, -1])
    func badPorts(port: Int) {
        #expect(throws: DownlinkError.invalidFPort(port)) {
            try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: port, payloadBase64: "AQID", confirmed: false)
        }
    }

    @Test("FPort 1 and 223 and a base64 payload are accepted; bad base64 is refused")
    func validation() throws {
        #expect(try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 1, payloadBase64: "AQID", confirmed: true).payload == [1, 2, 3])
        #expect(try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 223, payloadBase64: "", confirmed: false).payload == [])
        for bad in ["AQI", "AQID!", "not base64", "AQ==ID"] {
            #expect(throws: DownlinkError.invalidBase64, "\(bad)") {
                try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 1, payloadBase64: bad, confirmed: false)
            }
        }
        #expect(throws: DownlinkError.payloadTooLong(size: 300, maximum: 255)) {
            try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 1, payload: Array(repeating: 0, count: 300), confirmed: false)
        }
    }

    @Test("encryption uses the AppSKey, the reserved counter and the downlink direction; it decrypts back")
    func encryption() throws {
        let request = try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 5, payload: Array("open valve".utf8), confirmed: true)
        let reservation = DownlinkCounterReservation(sessionKeyID: Fixtures.sessionKeyID, fCnt: 70_001, maximumPayloadSize: 51)
        let id = UUID()
        let downlink = try DownlinkEncryption.encrypt(request, session: Fixtures.session, reservation: reservation, id: id)
        #expect(downlink.id == id && downlink.fCnt == 70_001 && downlink.fPort == 5 && downlink.confirmed)
        #expect(downlink.sessionKeyID == Fixtures.sessionKeyID)
        #expect(downlink.encryptedFRMPayload != request.payload)
        let decrypted = PayloadCipher.cryptFRMPayload(
            downlink.encryptedFRMPayload, key: Fixtures.appSKey, direction: .downlink, devAddr: Fixtures.devAddr, fCnt: 70_001)
        #expect(decrypted == request.payload)
        let asUplink = PayloadCipher.cryptFRMPayload(
            downlink.encryptedFRMPayload, key: Fixtures.appSKey, direction: .uplink, devAddr: Fixtures.devAddr, fCnt: 70_001)
        #expect(asUplink != request.payload, "the direction is part of the keystream")
        #expect(DownlinkEncryption.decrypt(downlink, session: Fixtures.session) == request.payload)
    }

    @Test("a payload too long for the data rate, or a reservation of another session, is refused")
    func refusals() throws {
        let request = try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 5, payload: Array(repeating: 7, count: 12), confirmed: false)
        #expect(throws: DownlinkError.payloadTooLong(size: 12, maximum: 11)) {
            try DownlinkEncryption.encrypt(
                request, session: Fixtures.session, reservation: DownlinkCounterReservation(sessionKeyID: Fixtures.sessionKeyID, fCnt: 1, maximumPayloadSize: 11),
                id: UUID())
        }
        #expect(throws: DownlinkError.sessionNotReady(Fixtures.devEUI)) {
            try DownlinkEncryption.encrypt(
                request, session: Fixtures.session, reservation: DownlinkCounterReservation(sessionKeyID: [0xFF], fCnt: 1, maximumPayloadSize: 51), id: UUID())
        }
    }

    @Test("push: reserve, encrypt, queue in the Network Server, publish downlink_queued; list decrypts; clear empties")
    func push() async throws {
        let harness = Harness()
        try await harness.sessions.store(Fixtures.session)
        let networkServer = FakeNetworkDownlinkQueue(sessionKeyID: Fixtures.sessionKeyID, nextFCnt: 9)
        let queue = harness.downlinks(networkServer: networkServer)
        let subscription = harness.stream.subscribe(.application(Fixtures.applicationID))

        let request = try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 3, payloadBase64: "AQIDBA==", confirmed: true)
        let downlink = try await queue.push(request)
        #expect(downlink.fCnt == 9)
        #expect(try await networkServer.queued(devEUI: Fixtures.devEUI) == [downlink])

        guard case .downlinkQueued(let event) = await subscription.nextEvent() else {
            Issue.record("expected downlink_queued")
            return
        }
        #expect(event.downlinkID == downlink.id && event.fCnt == 9 && event.fPort == 3 && event.confirmed)
        #expect(harness.outbox.all.map(\.delivery.eventType) == ["downlink_queued"])

        #expect(try await queue.list(devEUI: Fixtures.devEUI) == [QueuedDownlink(id: downlink.id, fPort: 3, fCnt: 9, payload: [1, 2, 3, 4], confirmed: true)])
        try await queue.clear(devEUI: Fixtures.devEUI)
        #expect(try await queue.list(devEUI: Fixtures.devEUI).isEmpty)
    }

    @Test("push without a session, or while the Network Server is in a session whose AppSKey is missing, is refused")
    func pushRefusals() async throws {
        let harness = Harness()
        let networkServer = FakeNetworkDownlinkQueue(sessionKeyID: Fixtures.sessionKeyID)
        let queue = harness.downlinks(networkServer: networkServer)
        let request = try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 3, payload: [1], confirmed: false)

        await #expect(throws: DownlinkError.noSession(Fixtures.devEUI)) { try await queue.push(request) }
        #expect(networkServer.nextFCnt == 0, "no counter reserved for a device without a session")

        try await harness.sessions.store(Fixtures.session)
        networkServer.setSession([0xEE])
        await #expect(throws: DownlinkError.sessionNotReady(Fixtures.devEUI)) { try await queue.push(request) }

        networkServer.setSession(nil)
        await #expect(throws: DownlinkError.networkServerRefused("the device has no session")) { try await queue.push(request) }

        networkServer.setSession(Fixtures.sessionKeyID)
        let long = try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 3, payload: Array(repeating: 0, count: 52), confirmed: false)
        await #expect(throws: DownlinkError.payloadTooLong(size: 52, maximum: 51)) { try await queue.push(long) }
        #expect(try await networkServer.queued(devEUI: Fixtures.devEUI).isEmpty)
        #expect(harness.outbox.all.isEmpty, "a refused downlink publishes nothing")
    }
}
