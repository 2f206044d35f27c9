import BackendInterfaces
import Foundation
import GatehouseServer
import JoinServer
import LoRaWAN
import Logging
import Storage
import Testing

@Suite("Join session retention")
struct JoinSessionPruningTests {
    @Test("pruning forgets sessions a newer join replaced and keeps each device's newest")
    func pruning() async throws {
        let directory = try TemporaryDirectory()
        let services = try await GatehouseServices.open(
            try testConfiguration(dataDirectory: directory.file("data")), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        do {
            try await services.joinDevices.setPeerKEK(.networkServer(JoinServiceHarness.netID), JoinServiceHarness.nsKEK, actor: "test")
            try await services.joinDevices.setPeerKEK(.applicationServer(JoinServiceHarness.asID), JoinServiceHarness.asKEK, actor: "test")
            _ = try await services.joinDevices.create(NewJoinDevice(
                devEUI: JoinServiceHarness.legacyDevEUI, joinEUI: JoinServiceHarness.legacyJoinEUI, macVersion: .v1_0_3,
                rootKeys: .legacy(appKey: JoinServiceHarness.legacyAppKey), owner: "test", applicationServerID: JoinServiceHarness.asID), actor: "test")
            let networkServer = LocalJoinService(joinServer: services.joinServer, caller: .networkServer(JoinServiceHarness.netID))
            let applicationServer = LocalJoinService(joinServer: services.joinServer, caller: .applicationServer(JoinServiceHarness.asID))
            let old = try #require(try await networkServer.join(JoinRequests.legacy(devNonce: 1)).sessionKeyID)
            try await Task.sleep(for: .milliseconds(5))
            let new = try #require(try await networkServer.join(JoinRequests.legacy(devNonce: 2)).sessionKeyID)

            #expect(try await services.store.joinDevices.pruneSessions(replacedBefore: Date().addingTimeInterval(60)) == 1)
            #expect(try await Self.fetchAppSKey(old, from: applicationServer) == .unknownDevEUI)
            #expect(try await Self.fetchAppSKey(new, from: applicationServer) == .success)
            // The newest session stays however old it gets.
            #expect(try await services.store.joinDevices.pruneSessions(replacedBefore: Date().addingTimeInterval(86_400 * 365)) == 0)
            #expect(try await Self.fetchAppSKey(new, from: applicationServer) == .success)
        } catch {
            await services.close()
            throw error
        }
        await services.close()
    }

    private static func fetchAppSKey(_ sessionKeyID: [UInt8], from service: some JoinService) async throws -> BackendResultCode {
        let answer = try await service.appSKey(AppSKeyReq(
            header: BackendHeader(
                protocolVersion: .v1_0, senderID: "as.example.net", receiverID: JoinServiceHarness.legacyJoinEUI.description, transactionID: 1,
                messageType: .appSKeyReq),
            devEUI: JoinServiceHarness.legacyDevEUI, sessionKeyID: sessionKeyID))
        return answer.result.code
    }
}
