import ApplicationServer
import BackendInterfaces
import Foundation
import LoRaWAN
import Testing

@Suite("AppSKey fetching")
struct AppSKeyFetcherTests {
    func fetcher(_ joinService: FakeJoinService, acceptsPlainKeys: Bool = false, logs: LogRecorder = LogRecorder()) -> AppSKeyFetcher {
        AppSKeyFetcher(
            applicationServerID: Fixtures.asID, joinService: joinService, keks: KEKRing([Fixtures.kek]), acceptsPlainKeys: acceptsPlainKeys,
            logger: logs.logger, transactionID: { 77 })
    }

    @Test("a wrapped AppSKey is opened with our KEK; the request names us and the JoinEUI")
    func wrapped() async throws {
        let joinService = FakeJoinService(.wrapped(Fixtures.appSKey, under: Fixtures.kek))
        let session = try await fetcher(joinService).fetch(for: Fixtures.join(), at: Fixtures.t0)
        #expect(session == Fixtures.session)

        let request = try #require(joinService.appSKeyRequests.first)
        #expect(request.header.senderID == "as.example.net")
        #expect(request.header.receiverID == "70B3D57ED0000001")
        #expect(request.header.messageType == .appSKeyReq && request.header.protocolVersion == .v1_0 && request.header.transactionID == 77)
        #expect(request.devEUI == Fixtures.devEUI && request.sessionKeyID == Fixtures.sessionKeyID)
    }

    @Test("an AppSKey under a KEK we do not have is refused with its label")
    func unknownLabel() async {
        let foreign = LabeledKEK(label: "as:someone-else", bytes: Array(repeating: 0x11, count: 16))!
        let logs = LogRecorder()
        await #expect(throws: AppSKeyFetchError.unknownKEKLabel("as:someone-else")) {
            try await fetcher(FakeJoinService(.wrapped(Fixtures.appSKey, under: foreign)), logs: logs).fetch(for: Fixtures.join(), at: Fixtures.t0)
        }
        #expect(logs.all.contains { $0.contains("AppSKey not obtained") && $0.contains("as:someone-else") })
    }

    @Test("an AppSKey wrapped under another key with our label does not unwrap")
    func tampered() async {
        let impostor = LabeledKEK(label: Fixtures.kek.label, bytes: Array(repeating: 0x22, count: 16))!
        await #expect(throws: AppSKeyFetchError.unwrapFailed(label: Fixtures.kek.label)) {
            try await fetcher(FakeJoinService(.wrapped(Fixtures.appSKey, under: impostor))).fetch(for: Fixtures.join(), at: Fixtures.t0)
        }
    }

    @Test("a refusal keeps the Join Server's result code and sentence")
    func refusal() async {
        let joinService = FakeJoinService(.refuse(.activationDisallowed, "device does not deliver to Application Server as.example.net"))
        await #expect(throws: AppSKeyFetchError.refused(.activationDisallowed, detail: "device does not deliver to Application Server as.example.net")) {
            try await fetcher(joinService).fetch(for: Fixtures.join(), at: Fixtures.t0)
        }
    }

    @Test("an unreachable Join Server and a success without a key are typed errors")
    func otherFailures() async {
        await #expect(throws: AppSKeyFetchError.joinServerUnavailable(.unreachable("connection refused"))) {
            try await fetcher(FakeJoinService(.unreachable)).fetch(for: Fixtures.join(), at: Fixtures.t0)
        }
        await #expect(throws: AppSKeyFetchError.missingKey) {
            try await fetcher(FakeJoinService(.emptySuccess)).fetch(for: Fixtures.join(), at: Fixtures.t0)
        }
    }

    @Test("an AppSKey in clear is refused unless configured, and then logged")
    func plain() async throws {
        await #expect(throws: AppSKeyFetchError.plainKeyRefused) {
            try await fetcher(FakeJoinService(.plain(Fixtures.appSKey))).fetch(for: Fixtures.join(), at: Fixtures.t0)
        }
        let logs = LogRecorder()
        let session = try await fetcher(FakeJoinService(.plain(Fixtures.appSKey)), acceptsPlainKeys: true, logs: logs).fetch(for: Fixtures.join(), at: Fixtures.t0)
        #expect(session.appSKey == Fixtures.appSKey)
        #expect(logs.all.contains { $0.hasPrefix("warning AppSKey received unwrapped") })
        #expect(!logs.all.joined().lowercased().contains(Hex.encode(Fixtures.appSKeyBytes)))
    }

    @Test("no error or session description shows key bytes")
    func redaction() {
        let errors: [AppSKeyFetchError] = [
            .unknownKEKLabel("x"), .unwrapFailed(label: "x"), .malformedKey("a plain AppSKey is 16 bytes, got 3"), .plainKeyRefused, .missingKey,
            .refused(.other, detail: nil), .answerMismatch("it is for another SessionKeyID"),
        ]
        for text in errors.map(\.description) + ["\(Fixtures.session)", String(reflecting: Fixtures.session)] {
            #expect(!text.lowercased().contains(Hex.encode(Fixtures.appSKeyBytes)), "\(text)")
            #expect(!text.lowercased().contains(Hex.encode(Fixtures.kekBytes)), "\(text)")
        }
        #expect("\(Fixtures.session)".contains("AppSKey: <redacted>"))
    }
}
