import BackendInterfaces
import Foundation
import GatehouseServer
import GatewayPKI
import JoinServer
import LoRaWAN
import Logging
import SwiftASN1
import X509
import Testing

/// The Backend Interfaces listener with a real client, curl, as an operator or a peer's engineer would
/// probe it: the reference's ChirpStack-style request verbatim, bad input, and who may connect.
@Suite("Backend Interfaces listener with curl")
struct BackendInterfacesListenerTests {
    /// reference/backend-interfaces.md §6.1, verbatim (ChirpStack style: lower-case hex, "1.0.3").
    static let chirpStackJoinReq = """
        {"ProtocolVersion":"1.0","SenderID":"000031","ReceiverID":"9f4b5bb0a4148aed","TransactionID":3555441365,
         "MessageType":"JoinReq","MACVersion":"1.0.3",
         "PHYPayload":"00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08bdc","DevEUI":"0e6d1128609d82be",
         "DevAddr":"62404a3e","DLSettings":"03","RxDelay":1,"CFList":"184f84e85684b85e84886684586e8400"}
        """

    @Test("the reference's JoinReq is answered; bad input gets a Result or a 400, never a 5xx; strangers are refused")
    func curlProbes() async throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let folder = directory.file("peer")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let services = try await GatehouseServices.open(configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        do {
            _ = try await services.pki.initializeAuthority(actor: "test")
            try await services.joinDevices.setPeerKEK(.networkServer(JoinServiceHarness.netID), JoinServiceHarness.nsKEK, actor: "test")
            _ = try await services.joinDevices.create(NewJoinDevice(
                devEUI: JoinServiceHarness.legacyDevEUI, joinEUI: JoinServiceHarness.legacyJoinEUI, macVersion: .v1_0_3,
                rootKeys: .legacy(appKey: JoinServiceHarness.legacyAppKey), owner: "test"), actor: "test")
            for (name, commonName) in [("ns", "ns:000031"), ("stranger", "ns:000099")] {
                let credentials = try await services.pki.issueBackendClientCertificate(commonName: commonName, validityDays: 30, actor: "test")
                let chain = try credentials.certificateChain.map { try $0.serializeAsPEM().pemString }.joined(separator: "\n")
                try chain.write(toFile: "\(folder)/\(name).crt", atomically: true, encoding: .utf8)
                try credentials.privateKey.exportPEM().write(toFile: "\(folder)/\(name).key", atomically: true, encoding: .utf8)
                try credentials.trustAnchor.serializeAsPEM().pemString.write(toFile: "\(folder)/root-ca.crt", atomically: true, encoding: .utf8)
            }
        } catch {
            await services.close()
            throw error
        }
        await services.close()

        try await withRunningServer(configuration) { endpoint in
            func post(_ body: String, as peer: String? = "ns") async throws -> (exit: Int32, status: Int, body: String) {
                var arguments = [
                    "--silent", "--show-error", "--max-time", "10", "--cacert", "\(folder)/root-ca.crt",
                    "--resolve", "localhost:\(endpoint.backendPort):127.0.0.1", "--write-out", "\n%{http_code}",
                    "-H", "Content-Type: application/json", "--data-binary", body, "https://localhost:\(endpoint.backendPort)/",
                ]
                if let peer { arguments += ["--cert", "\(folder)/\(peer).crt", "--key", "\(folder)/\(peer).key"] }
                let result = try await ExternalTool.run("/usr/bin/curl", arguments, in: folder)
                let reply = HTTPReply(curlOutput: result.standardOutput + " ")
                return (result.exitCode, reply.status, reply.body)
            }

            let join = try await post(Self.chirpStackJoinReq)
            #expect(join.status == 200)
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(join.body.utf8)) as? [String: Any])
            #expect((answer["Result"] as? [String: Any])?["ResultCode"] as? String == "Success", "\(join.body)")
            #expect(answer["MessageType"] as? String == "JoinAns")
            #expect(answer["TransactionID"] as? Int == 3_555_441_365)
            #expect((answer["NwkSKey"] as? [String: Any])?["KEKLabel"] as? String == "ns:000031")
            #expect(answer["AppSKey"] == nil)

            let replay = try await post(Self.chirpStackJoinReq)
            #expect(replay.body.contains("JoinReqFailed"), "\(replay.body)")

            let garbage = try await post("not json at all")
            #expect(garbage.status == 400)
            #expect(garbage.body.contains("MalformedRequest"))

            let wrongLength = try await post(Self.chirpStackJoinReq.replacingOccurrences(of: "62b08bdc\"", with: "62b08b\""))
            #expect(wrongLength.status == 200)
            #expect(wrongLength.body.contains("MalformedRequest"), "\(wrongLength.body)")

            let futureVersion = try await post(Self.chirpStackJoinReq.replacingOccurrences(of: "\"1.0\",\"SenderID\"", with: "\"2.0\",\"SenderID\""))
            #expect(futureVersion.body.contains("InvalidProtocolVersion"), "\(futureVersion.body)")

            let answerAsRequest = try await post(Self.chirpStackJoinReq.replacingOccurrences(of: "\"JoinReq\"", with: "\"JoinAns\""))
            #expect(answerAsRequest.status == 400)

            let stranger = try await post(Self.chirpStackJoinReq.replacingOccurrences(of: "000031", with: "000099"), as: "stranger")
            #expect(stranger.status == 200)
            #expect(stranger.body.contains("UnknownSender"), "\(stranger.body)")

            let anonymous = try await post(Self.chirpStackJoinReq, as: nil)
            #expect(anonymous.exit != 0, "a client without a certificate completed the TLS handshake")

            for reply in [join, replay, garbage, wrongLength, futureVersion, answerAsRequest, stranger] {
                #expect(reply.status < 500)
            }
        }
    }
}
