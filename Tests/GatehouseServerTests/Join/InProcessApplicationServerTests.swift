import BackendInterfaces
import GatehouseServer
import JoinServer
import LoRaWAN
import Logging
import Testing

/// A device registered without an AS-ID delivers its AppSKey to the Application Server running in the
/// same process (`as:gatehouse`), and to no other; a device naming another Application Server keeps
/// it from the in-process one.
@Suite("AppSKey delivery to the in-process Application Server")
struct InProcessApplicationServerTests {
    @Test("no AS-ID: only as:gatehouse gets the AppSKey; an explicit AS-ID still wins")
    func defaultApplicationServer() async throws {
        let directory = try TemporaryDirectory()
        let services = try await GatehouseServices.open(
            try testConfiguration(dataDirectory: directory.file("data")), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        do {
            _ = try await services.joinDevices.create(NewJoinDevice(
                devEUI: JoinServiceHarness.legacyDevEUI, joinEUI: JoinServiceHarness.legacyJoinEUI, macVersion: .v1_0_3,
                rootKeys: .legacy(appKey: JoinServiceHarness.legacyAppKey), owner: nil), actor: "test")
            let networkServer = LocalJoinService(joinServer: services.joinServer, caller: .networkServer(NetID(0)!))
            let joined = try await networkServer.join(JoinRequests.legacy(devNonce: 1, sender: "000000"))
            #expect(joined.result.isSuccess, "\(joined.result)")
            let sessionKeyID = try #require(joined.sessionKeyID)
            // Key separation in one process: the Network Server's answer has its network key only,
            // wrapped under its own KEK; the AppSKey below is wrapped under the Application Server's.
            #expect(joined.appSKey == nil)
            #expect(joined.nwkSKey?.kekLabel == "ns:000000")

            func ask(as asID: String) async throws -> AppSKeyAns {
                let peer = BackendPeer.applicationServer(ApplicationServerID(asID)!)
                return try await LocalJoinService(joinServer: services.joinServer, caller: peer).appSKey(AppSKeyReq(
                    header: BackendHeader(
                        protocolVersion: .v1_0, senderID: asID, receiverID: JoinServiceHarness.legacyJoinEUI.description, transactionID: 9,
                        messageType: .appSKeyReq),
                    devEUI: JoinServiceHarness.legacyDevEUI, sessionKeyID: sessionKeyID))
            }
            let inProcess = try await ask(as: "gatehouse")
            #expect(inProcess.result.isSuccess, "\(inProcess.result)")
            #expect(inProcess.appSKey?.kekLabel == "as:gatehouse", "wrapped under the in-process Application Server's KEK")
            #expect(try await ask(as: "as.example.net").result.code == .activationDisallowed)

            _ = try await services.joinDevices.setRouting(
                JoinServiceHarness.legacyDevEUI, homeNetID: nil, applicationServerID: ApplicationServerID("as.example.net")!, actor: "test")
            #expect(try await ask(as: "gatehouse").result.code == .activationDisallowed)
        } catch {
            await services.close()
            throw error
        }
        await services.close()
    }
}
