import ApplicationServer
import BackendInterfaces
import Foundation
import LoRaWAN
import Synchronization
import Testing

@Suite("Application Server")
struct ApplicationServerTests {
    @Test("a join stores the session's AppSKey and publishes a join event to the stream and the webhooks")
    func join() async throws {
        let harness = Harness()
        let subscription = harness.stream.subscribe(.application(Fixtures.applicationID))
        await harness.server.joined(Fixtures.join())

        #expect(try await harness.sessions.session(devEUI: Fixtures.devEUI, sessionKeyID: Fixtures.sessionKeyID) == Fixtures.session)
        let event = try #require(await subscription.nextEvent())
        #expect(event == .join(JoinEvent(
            applicationID: Fixtures.applicationID, devEUI: Fixtures.devEUI, joinEUI: Fixtures.joinEUI, devAddr: Fixtures.devAddr, macVersion: .v1_0_3,
            joinedAt: Fixtures.t0)))
        #expect(harness.outbox.all.map(\.delivery.body) == [event.jsonBytes])
    }

    @Test("an uplink is decrypted and delivered: stream and webhook get the same JSON")
    func uplink() async throws {
        let harness = Harness()
        let subscription = harness.stream.subscribe(.application(Fixtures.applicationID))
        await harness.server.joined(Fixtures.join())
        await harness.server.uplinkReceived(Fixtures.uplink(payload: Array("21.5C".utf8)))

        _ = await subscription.next()
        guard case .uplink(let uplink) = await subscription.nextEvent() else {
            Issue.record("expected an uplink event")
            return
        }
        #expect(uplink.payload == Array("21.5C".utf8))
        #expect(await harness.dispatcher.dispatchDue() == WebhookDispatchSummary(claimed: 2, delivered: 2))
        // Attempts run concurrently: the order of arrival is not promised.
        #expect(Set(harness.transport.requests.compactMap { $0.headers["X-Gatehouse-Event"] }) == ["join", "uplink"])
        let request = harness.transport.requests.first { $0.headers["X-Gatehouse-Event"] == "uplink" }
        #expect(request?.body == ApplicationEvent.uplink(uplink).jsonBytes)
    }

    @Test("a refused AppSKey becomes an app_skey_unavailable error event, and its uplinks unknown_session events")
    func refusedKey() async throws {
        let harness = Harness(joinService: FakeJoinService(.refuse(.unknownDevEUI, "no device 0004A30B001C0530")))
        let subscription = harness.stream.subscribe(.all)
        await harness.server.joined(Fixtures.join())
        await harness.server.uplinkReceived(Fixtures.uplink())

        guard case .error(let refused) = await subscription.nextEvent(), case .error(let undecryptable) = await subscription.nextEvent() else {
            Issue.record("expected two error events")
            return
        }
        #expect(refused.code == .appSKeyUnavailable && refused.applicationID == Fixtures.applicationID)
        #expect(refused.detail.contains("UnknownDevEUI"))
        #expect(undecryptable.code == .unknownSession && undecryptable.devEUI == Fixtures.devEUI && undecryptable.devAddr == Fixtures.devAddr)
        #expect(harness.sessions.all.isEmpty)
    }

    @Test("an unknown KEK label is an error event, not a crash")
    func unknownKEK() async {
        let harness = Harness(joinService: FakeJoinService(.wrapped(Fixtures.appSKey, under: LabeledKEK(label: "as:elsewhere", bytes: Array(repeating: 1, count: 16))!)))
        let subscription = harness.stream.subscribe(.all)
        await harness.server.joined(Fixtures.join())
        guard case .error(let event) = await subscription.nextEvent() else {
            Issue.record("expected an error event")
            return
        }
        #expect(event.code == .appSKeyUnavailable && event.detail.contains("as:elsewhere"))
    }

    @Test("after a rejoin, frames of the previous session still decrypt")
    func previousSession() async throws {
        let harness = Harness()
        let subscription = harness.stream.subscribe(.all)
        await harness.server.joined(Fixtures.join())
        let newKey = AppSKey(bytes: Array(repeating: 0x42, count: 16))!
        harness.joinService.set(.wrapped(newKey, under: Fixtures.kek))
        await harness.server.joined(Fixtures.join(sessionKeyID: [0x53, 0x4B, 0x00, 0x02]))
        await harness.server.uplinkReceived(Fixtures.uplink(payload: [1], fCnt: 100))
        await harness.server.uplinkReceived(Fixtures.uplink(payload: [2], fCnt: 0, key: newKey, sessionKeyID: [0x53, 0x4B, 0x00, 0x02]))

        var payloads: [[UInt8]] = []
        for _ in 0..<4 {
            if case .uplink(let event) = await subscription.nextEvent() { payloads.append(event.payload) }
        }
        #expect(payloads == [[1], [2]])
    }

    @Test("a device in no application: events reach the stream of all events only")
    func unassignedDevice() async throws {
        let harness = Harness(registry: InMemoryApplicationRegistry([Fixtures.application]))
        let all = harness.stream.subscribe(.all)
        let mine = harness.stream.subscribe(.application(Fixtures.applicationID))
        await harness.server.joined(Fixtures.join())
        await harness.server.uplinkReceived(Fixtures.uplink())
        _ = await all.next()
        guard case .uplink(let event) = await all.nextEvent() else {
            Issue.record("expected an uplink event")
            return
        }
        #expect(event.applicationID == nil)
        #expect(ApplicationEvent.uplink(event).json.contains(#""application_id":null"#))
        #expect(harness.outbox.all.isEmpty)
        mine.cancel()
        #expect(await mine.next() == nil)
    }

    @Test("network events and downlink outcomes flow through the same events, to the device's application")
    func networkAndDownlinkEvents() async throws {
        let harness = Harness()
        let subscription = harness.stream.subscribe(.application(Fixtures.applicationID))
        let id = UUID()
        await harness.server.networkEvent(NetworkEvent(
            kind: .replayDropped, devEUI: Fixtures.devEUI, devAddr: Fixtures.devAddr, detail: "FCnt 41 does not advance", time: Fixtures.t0))
        await harness.server.downlinkUpdated(ApplicationDownlinkEvent(id: id, devEUI: Fixtures.devEUI, outcome: .acknowledged, time: Fixtures.t0))
        await harness.server.downlinkUpdated(ApplicationDownlinkEvent(id: id, devEUI: Fixtures.devEUI, outcome: .notAcknowledged, time: Fixtures.t0))
        await harness.server.networkEvent(NetworkEvent(kind: .unknownDevAddr, devEUI: nil, devAddr: DevAddr(1), detail: "no device", time: Fixtures.t0))

        var types: [String] = []
        for _ in 0..<3 { if let event = await subscription.nextEvent() { types.append(event.json.split(separator: "\"")[3].description) } }
        #expect(types == ["error", "downlink_acked", "downlink_nacked"])
        #expect(harness.outbox.all.map(\.delivery.eventType) == ["error", "downlink_acked", "downlink_nacked"], "an unattributed event goes to no webhook")
    }

    @Test("a session store that fails yields storage_failed events, never a crash")
    func storageDown() async {
        let harness = Harness()
        let subscription = harness.stream.subscribe(.all)
        harness.sessions.failing.withLock { $0 = true }
        await harness.server.joined(Fixtures.join())
        await harness.server.uplinkReceived(Fixtures.uplink())
        var codes: [ApplicationErrorEvent.Code] = []
        for _ in 0..<2 { if case .error(let event) = await subscription.nextEvent() { codes.append(event.code) } }
        #expect(codes == [.storageFailed, .storageFailed])
    }

    @Test("an FPort 0 frame handed over by mistake is an invalid_uplink error")
    func networkPort() async {
        let harness = Harness()
        let subscription = harness.stream.subscribe(.all)
        await harness.server.joined(Fixtures.join())
        await harness.server.uplinkReceived(Fixtures.uplink(fPort: 0))
        _ = await subscription.next()
        guard case .error(let event) = await subscription.nextEvent() else {
            Issue.record("expected an error event")
            return
        }
        #expect(event.code == .invalidUplink)
    }
}
