import BackendInterfaces
import LoRaWAN
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

/// `HTTPJoinService` against a real HTTPS server that demands a client certificate.
@Suite("HTTPJoinService over mutual TLS")
struct HTTPJoinServiceTests {
    private static func configuration(
        _ pki: TestPKI, port: Int, timeout: TimeAmount = .seconds(5), stranger: Bool = false
    ) throws -> HTTPJoinServiceConfiguration {
        try HTTPJoinServiceConfiguration(
            url: "https://127.0.0.1:\(port)/backend-interfaces",
            certificateChain: [stranger ? pki.strangerCertificate : pki.clientCertificate],
            privateKey: stranger ? pki.strangerKey : pki.clientKey, trustRoots: [pki.caCertificate], timeout: timeout)
    }

    /// Runs `body` with a service, and shuts the service down afterwards whatever happens.
    @discardableResult
    private static func withService<T>(
        _ configuration: HTTPJoinServiceConfiguration, _ body: (HTTPJoinService) async throws -> T
    ) async throws -> T {
        let service = HTTPJoinService(configuration: configuration)
        let result: T
        do {
            result = try await body(service)
        } catch {
            try await service.shutdown()
            throw error
        }
        try await service.shutdown()
        return result
    }

    private static func joinReq10() throws -> JoinReq {
        guard case .join(let request) = try BackendRequest(decoding: WorkedExamples.bytes(WorkedExamples.joinReq10)) else {
            throw TestPKI.OpenSSLFailure(arguments: ["not a JoinReq"], status: -1)
        }
        return request
    }

    /// A Join Server that decodes each request with the codec and answers like the reference:
    /// the §6.1 JoinAns to a JoinReq, and a success to AppSKeyReq and HomeNSReq.
    private static let referenceJoinServer: @Sendable (ReceivedRequest) -> TestReply = { received in
        do throws(BackendDecodingFailure) {
            let request = try BackendRequest(decoding: received.body)
            switch request {
            case .join, .rejoin:
                return TestReply(status: .ok, body: WorkedExamples.bytes(WorkedExamples.joinAns10))
            case .appSKey(let appSKeyReq):
                let answer = AppSKeyAns(
                    header: appSKeyReq.header.answerHeader(), result: .success, devEUI: appSKeyReq.devEUI,
                    appSKey: KeyEnvelope(kekLabel: "as:as.example.net", aesKey: Array(0..<24)), sessionKeyID: appSKeyReq.sessionKeyID)
                return TestReply(status: .ok, body: BackendAnswer.appSKey(answer).encoded())
            case .homeNS(let homeNSReq):
                let answer = HomeNSAns(header: homeNSReq.header.answerHeader(), result: .success, hNetID: NetID(0x000031))
                return TestReply(status: .ok, body: BackendAnswer.homeNS(answer).encoded())
            }
        } catch {
            return TestReply(status: error.answer == nil ? .badRequest : .ok, body: error.responseBody)
        }
    }

    @Test("a JoinReq is POSTed as JSON and the JoinAns comes back decoded")
    func successfulExchange() async throws {
        let pki = try TestPKI.make()
        let request = try Self.joinReq10()
        try await TestJoinServer.run(pki: pki, reply: Self.referenceJoinServer) { port, received in
            try await Self.withService(try Self.configuration(pki, port: port)) { service in
                let answer = try await service.join(request)
                #expect(answer.result == .success)
                #expect(answer.header.transactionID == 3_555_441_365)
                #expect(answer.header.messageType == .joinAns)
                #expect(answer.nwkSKey?.kekLabel == "ns:000031")
                #expect(answer.appSKey?.isPlain == true)
                #expect(answer.phyPayload?.count == 33)

                let seen = try #require(received.all.first)
                #expect(seen.method == .POST)
                #expect(seen.contentType == "application/json")
                #expect(try BackendRequest(decoding: seen.body) == .join(request))
            }
        }
    }

    @Test("AppSKeyReq and HomeNSReq go the same way")
    func otherRequests() async throws {
        let pki = try TestPKI.make()
        try await TestJoinServer.run(pki: pki, reply: Self.referenceJoinServer) { port, received in
            try await Self.withService(try Self.configuration(pki, port: port)) { service in
                let header = BackendHeader(
                    protocolVersion: .v1_0, senderID: "as.example.net", receiverID: "F93FA7142977F04B", transactionID: 42,
                    messageType: .appSKeyReq)
                let appSKey = try await service.appSKey(AppSKeyReq(header: header, devEUI: EUI64(0x8877_12B9_1379_7B9A), sessionKeyID: [1, 2, 3]))
                #expect(appSKey.result == .success)
                #expect(appSKey.sessionKeyID == [1, 2, 3])
                #expect(appSKey.appSKey?.kekLabel == "as:as.example.net")

                var homeNSHeader = header
                homeNSHeader.senderID = "000031"
                homeNSHeader.messageType = .homeNSReq
                let homeNS = try await service.homeNS(HomeNSReq(header: homeNSHeader, devEUI: EUI64(0x8877_12B9_1379_7B9A)))
                #expect(homeNS.hNetID == NetID(0x000031))
                #expect(received.all.count == 2)
            }
        }
    }

    @Test("a protocol failure is an answer, not an error")
    func failureIsAnAnswer() async throws {
        let pki = try TestPKI.make()
        let request = try Self.joinReq10()
        let failure = BackendAnswer(failing: request.header, BackendResult(.micFailed, "MIC mismatch")).encoded()
        try await TestJoinServer.run(pki: pki, reply: { _ in TestReply(status: .ok, body: failure) }) { port, _ in
            try await Self.withService(try Self.configuration(pki, port: port)) { service in
                let answer = try await service.join(request)
                #expect(answer.result == BackendResult(.micFailed, "MIC mismatch"))
                #expect(answer.nwkSKey == nil)
            }
        }
    }

    @Test("a non-2xx status throws httpStatus", arguments: [HTTPResponseStatus.badRequest, .serviceUnavailable, .notFound])
    func nonSuccessStatus(_ status: HTTPResponseStatus) async throws {
        let pki = try TestPKI.make()
        let request = try Self.joinReq10()
        try await TestJoinServer.run(pki: pki, reply: { _ in TestReply(status: status, body: WorkedExamples.bytes(WorkedExamples.joinAns10)) }) { port, _ in
            try await Self.withService(try Self.configuration(pki, port: port)) { service in
                await #expect(throws: JoinServiceError.httpStatus(Int(status.code))) { try await service.join(request) }
            }
        }
    }

    @Test("a garbage body throws malformedAnswer")
    func garbageBody() async throws {
        let pki = try TestPKI.make()
        let request = try Self.joinReq10()
        try await TestJoinServer.run(pki: pki, reply: { _ in TestReply(status: .ok, body: Array("<html>oops</html>".utf8)) }) { port, _ in
            try await Self.withService(try Self.configuration(pki, port: port)) { service in
                do throws(JoinServiceError) {
                    _ = try await service.join(request)
                    Issue.record("a garbage answer was accepted")
                } catch {
                    guard case .malformedAnswer = error else {
                        Issue.record("expected malformedAnswer, got \(error)")
                        return
                    }
                }
            }
        }
    }

    @Test(
        "an answer to another request throws malformedAnswer",
        arguments: [
            ("another TransactionID", WorkedExamples.joinAns10.replacingTransactionID),
            ("another MessageType", WorkedExamples.joinAns10.replacingMessageType),
        ])
    func mismatchedAnswer(_ name: String, _ body: String) async throws {
        let pki = try TestPKI.make()
        let request = try Self.joinReq10()
        try await TestJoinServer.run(pki: pki, reply: { _ in TestReply(status: .ok, body: Array(body.utf8)) }) { port, _ in
            try await Self.withService(try Self.configuration(pki, port: port)) { service in
                do throws(JoinServiceError) {
                    _ = try await service.join(request)
                    Issue.record("\(name) was accepted")
                } catch {
                    guard case .malformedAnswer(let reason) = error else {
                        Issue.record("\(name): expected malformedAnswer, got \(error)")
                        return
                    }
                    #expect(!reason.contains("8015BA6E"), "no key material in the reason")
                }
            }
        }
    }

    @Test("nothing listening throws unreachable")
    func nothingListening() async throws {
        let pki = try TestPKI.make()
        let port = try await TestJoinServer.closedPort()
        let request = try Self.joinReq10()
        try await Self.withService(try Self.configuration(pki, port: port, timeout: .seconds(1))) { service in
            do throws(JoinServiceError) {
                _ = try await service.join(request)
                Issue.record("a closed port answered")
            } catch {
                guard case .unreachable = error else {
                    Issue.record("expected unreachable, got \(error)")
                    return
                }
            }
        }
    }

    @Test("a client certificate from another CA is refused by the server: unreachable")
    func strangerCertificate() async throws {
        let pki = try TestPKI.make()
        let request = try Self.joinReq10()
        try await TestJoinServer.run(pki: pki, reply: Self.referenceJoinServer) { port, received in
            try await Self.withService(try Self.configuration(pki, port: port, timeout: .seconds(2), stranger: true)) { service in
                do throws(JoinServiceError) {
                    _ = try await service.join(request)
                    Issue.record("the server accepted a stranger's certificate")
                } catch {
                    guard case .unreachable = error else {
                        Issue.record("expected unreachable, got \(error)")
                        return
                    }
                }
                #expect(received.all.isEmpty)
            }
        }
    }

    @Test("the configuration refuses a URL that is not https")
    func refusesPlainHTTP() throws {
        let pki = try TestPKI.make()
        for url in ["http://127.0.0.1:1886/", "127.0.0.1:8886", "https:///path", "ftp://js.example.net/"] {
            #expect(throws: HTTPJoinServiceConfigurationError.notAnHTTPSURL(url)) {
                try HTTPJoinServiceConfiguration(
                    url: url, certificateChain: [pki.clientCertificate], privateKey: pki.clientKey, trustRoots: [pki.caCertificate])
            }
        }
        let configuration = try HTTPJoinServiceConfiguration(
            url: "https://user:secret@js.example.net/", certificateChain: [pki.clientCertificate], privateKey: pki.clientKey,
            trustRoots: [pki.caCertificate])
        #expect(!configuration.description.contains("secret"))
    }
}

extension String {
    fileprivate var replacingTransactionID: String {
        replacing("\"TransactionID\":3555441365", with: "\"TransactionID\":3555441366")
    }

    fileprivate var replacingMessageType: String {
        replacing("\"MessageType\":\"JoinAns\"", with: "\"MessageType\":\"HomeNSAns\"")
    }
}
