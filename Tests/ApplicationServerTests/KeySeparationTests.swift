import ApplicationServer
import BackendInterfaces
import Foundation
import LoRaWAN
import Testing

/// DESIGN.md invariant 3: the Application Server never holds a network session key.
///
/// Three layers, each failing on its own if the invariant breaks:
/// 1. The module's source names no network key type, no join message (whose answer carries network
///    keys), and opens key envelopes only as `AppSKey`.
/// 2. Every record the module stores or emits, walked by reflection, holds no key but an AppSKey.
/// 3. Driving the whole server through join, uplink and downlink sends the Join Server nothing but
///    `AppSKeyReq`s, and no key reaches a log line or an event.
@Suite("Key separation")
struct KeySeparationTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/ApplicationServer")

    /// Every LoRaWAN key role but AppSKey, and the Backend Interfaces messages that carry them.
    static let forbidden = [
        "NwkKey", "AppKey", "NwkSKey", "FNwkSIntKey", "SNwkSIntKey", "NwkSEncKey", "JSIntKey", "JSEncKey", "GenAppKey", "McRootKey", "McKEKey",
        "McKey", "McAppSKey", "McNwkSKey", "NetworkSessionKeys", "JoinReq", "JoinAns", "RejoinReq", "RejoinAns",
    ]

    static func sourceFiles() throws -> [(name: String, text: String)] {
        let enumerator = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var files: [(String, String)] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            files.append((url.lastPathComponent, try String(contentsOf: url, encoding: .utf8)))
        }
        return files
    }

    @Test("the module's source names no network key and no join message")
    func sourceNamesNoNetworkKey() throws {
        let files = try Self.sourceFiles()
        #expect(files.count > 20, "the scan found the module's sources")
        for (name, text) in files {
            let words = Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
            for token in Self.forbidden where words.contains(token) {
                Issue.record("\(name) names \(token)")
            }
            var rest = Substring(text)
            while let range = rest.range(of: "open(as:") {
                let argument = rest[range.upperBound...].drop { $0 == " " }.prefix { $0.isLetter || $0.isNumber }
                #expect(argument == "AppSKey", "\(name) opens an envelope as \(argument)")
                rest = rest[range.upperBound...]
            }
        }
    }

    @Test("every record the module keeps or emits holds no key but an AppSKey")
    func recordsHoldOnlyAppSKeys() throws {
        let uplink = try UplinkDecryption.decrypt(Fixtures.uplink(), session: Fixtures.session, applicationID: Fixtures.applicationID)
        let downlink = try DownlinkEncryption.encrypt(
            try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 1, payload: [1], confirmed: false), session: Fixtures.session,
            reservation: DownlinkCounterReservation(sessionKeyID: Fixtures.sessionKeyID, fCnt: 1, maximumPayloadSize: 51), id: UUID())
        let records: [Any] = [
            Fixtures.session, Fixtures.application,
            WebhookDelivery(id: UUID(), applicationID: Fixtures.applicationID, webhookID: UUID(), eventType: "uplink", body: [], queuedAt: Fixtures.t0, nextAttemptAt: Fixtures.t0),
            ApplicationEvent.uplink(uplink), downlink, QueuedDownlink(id: UUID(), fPort: 1, fCnt: 1, payload: nil, confirmed: false),
            DownlinkQueuedEvent(applicationID: nil, devEUI: Fixtures.devEUI, downlinkID: UUID(), fPort: 1, fCnt: 1, confirmed: false, queuedAt: Fixtures.t0),
        ]
        var keyTypes: Set<String> = []
        for record in records { Self.collectKeyTypes(record, into: &keyTypes) }
        #expect(keyTypes == ["LoRaWAN.AES128Key<LoRaWAN.AppSKeyRole>"])
    }

    /// Walks a value's stored properties and records the type of every key or key envelope in it.
    static func collectKeyTypes(_ value: Any, into types: inout Set<String>, depth: Int = 0) {
        let type = String(reflecting: Swift.type(of: value))
        if type.contains("AES128Key<") || type.contains("KeyEnvelope") || type.contains("LabeledKEK") {
            types.insert(type)
            return
        }
        guard depth < 8 else { return }
        for child in Mirror(reflecting: value).children {
            collectKeyTypes(child.value, into: &types, depth: depth + 1)
        }
    }

    @Test("join, uplink and downlink ask the Join Server for AppSKeys only, and no key reaches a log or an event")
    func endToEnd() async throws {
        let harness = Harness()
        let all = harness.stream.subscribe(.all)
        await harness.server.joined(Fixtures.join())
        await harness.server.uplinkReceived(Fixtures.uplink())
        let networkServer = FakeNetworkDownlinkQueue(sessionKeyID: Fixtures.sessionKeyID)
        try await harness.downlinks(networkServer: networkServer).push(try DownlinkRequest(devEUI: Fixtures.devEUI, fPort: 1, payload: [9], confirmed: true))
        await harness.server.uplinkReceived(Fixtures.uplink(sessionKeyID: [0xDE, 0xAD]))
        await harness.server.networkEvent(NetworkEvent(kind: .micFailed, devEUI: Fixtures.devEUI, devAddr: Fixtures.devAddr, detail: "MIC mismatch", time: Fixtures.t0))

        #expect(harness.joinService.joinRequestCount == 0)
        #expect(harness.joinService.appSKeyRequests.count == 1)

        var events: [String] = []
        for _ in 0..<5 { if let event = await all.nextEvent() { events.append(event.json) } }
        #expect(events.count == 5)
        let secrets = [Hex.encode(Fixtures.appSKeyBytes), Hex.encode(Fixtures.kekBytes)]
        let texts = events + harness.logs.all + harness.outbox.all.map { String(decoding: $0.delivery.body, as: UTF8.self) }
        for text in texts {
            for secret in secrets {
                #expect(!text.lowercased().contains(secret), "\(text)")
            }
            #expect(!text.contains("whsec_"))
        }
    }
}
