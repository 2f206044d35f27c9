import ApplicationServer
import Foundation
import GatehouseServer
import LoRaWAN
import Logging
import NetworkServer
import Storage
import Testing

/// `POST /api/v1/devices/abp` through the real HTTPS API with curl, on a real SQLite file: ABP only
/// with an explicit `insecure_abp`, every bad field a 400 that names it, keys never echoed or logged.
@Suite("ABP devices: API")
struct ABPDeviceAPITests {
    private typealias T = ABPTestData
    static let devEUI = "70B3D57ED00000AB"
    static let eui = EUI64(0x70B3_D57E_D000_00AB)
    static let application = ApplicationID("abp-meters")!

    /// A server with one API key and the application `abp-meters`; after `body`, the same data opened
    /// again for `check`.
    private func withServer(
        log: CapturedLog = CapturedLog(), _ body: (APIClient) async throws -> Void, check: (GatehouseServices) async throws -> Void = { _ in }
    ) async throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        var services = try await GatehouseServices.open(configuration, logger: quiet)
        let key = try await services.store.apiKeys.create(name: "tests", at: Date(), actor: "test").plaintextKey
        try await services.applications.registry.save(Application(
            id: Self.application, name: "meters", webhookSecret: WebhookSecret.generate(), createdAt: Date()))
        await services.close()
        try await withRunningServer(configuration, log: log) { endpoint in
            try await body(APIClient(endpoint: endpoint, apiKey: key))
        }
        services = try await GatehouseServices.open(configuration, logger: quiet)
        do {
            try await check(services)
            await services.close()
        } catch {
            await services.close()
            throw error
        }
    }

    private static func legacyBody(_ changes: [String: Any?] = [:]) -> [String: Any] {
        var body: [String: Any] = [
            "dev_eui": devEUI, "dev_addr": T.devAddr.description, "mac_version": "1.0.3", "region": "EU868", "nwk_s_key": T.nwkSKey,
            "app_s_key": T.appSKey, "application_id": application.rawValue, "insecure_abp": true,
        ]
        for (name, value) in changes { body[name] = value }
        return body
    }

    private static func currentBody(_ changes: [String: Any?] = [:]) -> [String: Any] {
        var body = legacyBody(["nwk_s_key": nil, "mac_version": "1.1"])
        body["f_nwk_s_int_key"] = T.fNwkSIntKey
        body["s_nwk_s_int_key"] = T.sNwkSIntKey
        body["nwk_s_enc_key"] = T.nwkSEncKey
        for (name, value) in changes { body[name] = value }
        return body
    }

    /// Posts `body` and checks that the answer holds no key.
    private func create(_ client: APIClient, _ body: [String: Any]) async throws -> HTTPReply {
        let reply = try await client.call("POST", "/devices/abp", json: JoinTestData.json(body))
        #expect(T.leaks(in: reply.body).isEmpty, "the answer holds a key: \(reply.body.prefix(300))")
        return reply
    }

    private func error(_ reply: HTTPReply) throws -> (code: String, message: String) {
        let detail = try #require(try APIClient.object(reply)["error"] as? [String: Any])
        return (try #require(detail["code"] as? String), try #require(detail["message"] as? String))
    }

    @Test("without \"insecure_abp\": true nothing is created, and the refusal explains why ABP is insecure")
    func flagRequired() async throws {
        try await withServer { client in
            for body in [Self.legacyBody(["insecure_abp": nil]), Self.legacyBody(["insecure_abp": false])] {
                let reply = try await create(client, body)
                #expect(reply.status == 400)
                let (code, message) = try error(reply)
                #expect(code == "invalid_field")
                #expect(message.hasPrefix("insecure_abp: ABP is insecure"))
                #expect(message.contains("frame counters for life") && message.contains("replays") && message.contains("Prefer OTAA"))
            }
            let text = try await create(client, Self.legacyBody(["insecure_abp": "yes"]))
            #expect(text.status == 400)
            #expect(try error(text).message == "insecure_abp: has the wrong JSON type")
        } check: { services in
            let device = try await services.store.networkDevices.device(Self.eui)
            let session = try await services.store.networkSessions.session(devEUI: Self.eui)
            #expect(device == nil && session == nil)
        }
    }

    @Test("bad input is a 400 naming the field, never repeating a key")
    func badInput() async throws {
        let almostKey = String(T.appSKey.dropLast()) + "z"
        try await withServer { client in
            let cases: [([String: Any], String)] = [
                (Self.legacyBody(["dev_addr": "2601"]), "dev_addr: expected a DevAddr (8 hex digits)"),
                (Self.legacyBody(["dev_eui": "70B3"]), "dev_eui: expected an EUI-64 (16 hex digits)"),
                (Self.legacyBody(["region": nil]), "region: is missing"),
                (Self.legacyBody(["region": "EU433"]), "region: use one of EU868, US915, AU915, AS923-1"),
                (Self.legacyBody(["device_class": "B"]), "device_class: A or C"),
                (Self.legacyBody(["mac_version": "2.0"]), "mac_version: use a LoRaWAN MAC version"),
                (Self.legacyBody(["nwk_s_key": String(T.nwkSKey.prefix(30))]), "nwk_s_key: expected 32 hex digits"),
                (Self.legacyBody(["app_s_key": almostKey]), "app_s_key: expected 32 hex digits"),
                (Self.legacyBody(["nwk_s_key": nil]), "nwk_s_key: is missing (LoRaWAN 1.0.3)"),
                (Self.legacyBody(["nwk_s_enc_key": T.nwkSEncKey]), "nwk_s_enc_key: a LoRaWAN 1.0.3 device has one network session key"),
                (Self.currentBody(["nwk_s_key": T.nwkSKey]), "nwk_s_key: a LoRaWAN 1.1 device has f_nwk_s_int_key"),
                (Self.currentBody(["s_nwk_s_int_key": nil]), "s_nwk_s_int_key: is missing (LoRaWAN 1.1)"),
                (Self.legacyBody(["insecure": true]), "insecure: is not a member of this request"),
                (Self.legacyBody(["application_id": "nobody"]), "application_id: application nobody does not exist"),
            ]
            for (body, expected) in cases {
                let reply = try await create(client, body)
                #expect(reply.status == 400, "\(expected)")
                let message = try error(reply).message
                #expect(message.hasPrefix(expected), "\(message)")
                #expect(!message.contains(almostKey))
            }
        } check: { services in
            let device = try await services.store.networkDevices.device(Self.eui)
            #expect(device == nil)
        }
    }

    @Test("a created ABP device is insecure in the answer and the log, has both halves of its session, and deletes cleanly")
    func created() async throws {
        let log = CapturedLog()
        let devEUI = Self.eui
        let otherEUI = EUI64(0x70B3_D57E_D000_00AC)
        try await withServer(log: log) { client in
            let reply = try await create(client, Self.currentBody(["device_class": "C"]))
            #expect(reply.status == 201, "\(reply.body)")
            let object = try APIClient.object(reply)
            #expect(object["insecure"] as? Bool == true)
            #expect(object["activation"] as? String == "ABP")
            #expect(object["dev_eui"] as? String == Self.devEUI)
            #expect(object["dev_addr"] as? String == T.devAddr.description)
            #expect(object["mac_version"] as? String == "1.1")
            #expect(object["device_class"] as? String == "C")
            #expect(object["application_id"] as? String == Self.application.rawValue)
            let warning = try #require(object["warning"] as? String)
            #expect(warning.contains("prefer OTAA") && !warning.contains("outside the block"))

            // Any DevAddr is taken, with a warning when another network may own it.
            let foreign = try await create(client, Self.legacyBody([
                "dev_eui": otherEUI.description, "dev_addr": T.foreignDevAddr.description, "application_id": nil,
            ]))
            #expect(foreign.status == 201)
            #expect((try APIClient.object(foreign)["warning"] as? String)?.contains("DevAddr 26011BDA is outside the block of NetID 000000") == true)

            let again = try await create(client, Self.legacyBody())
            #expect(again.status == 409)
            #expect(try error(again).message == "device \(Self.devEUI) already exists")
        } check: { services in
            let device = try #require(try await services.store.networkDevices.device(devEUI))
            #expect(device.activation == .abp && device.isInsecure && device.joinEUI == nil)
            #expect(device.region == .eu868 && device.deviceClass == .classC && device.macVersion == .v1_1)
            let session = try #require(try await services.store.networkSessions.session(devEUI: devEUI))
            #expect(session.activation == .abp && session.devAddr == T.devAddr && session.fCntUp == nil)
            #expect(session.sessionKeyID.count == 16)
            #expect(session.keys == .current(
                fNwkSIntKey: T.key(T.fNwkSIntKey), sNwkSIntKey: T.key(T.sNwkSIntKey), nwkSEncKey: T.key(T.nwkSEncKey), fOptsVariant: .errata))
            let applicationSession = try #require(try await services.applications.sessions.latestSession(devEUI: devEUI))
            #expect(applicationSession.isABP && applicationSession.sessionKeyID == session.sessionKeyID)
            #expect(applicationSession.appSKey == T.key(T.appSKey) as AppSKey)
            #expect(try await services.applications.registry.application(of: devEUI)?.id == Self.application)
            #expect(try await services.store.joinDevices.device(devEUI) == nil, "no Join Server registration")

            try await services.deleteDevice(devEUI, actor: "test")
            #expect(try await services.store.networkDevices.device(devEUI) == nil)
            #expect(try await services.store.networkSessions.session(devEUI: devEUI) == nil)
            #expect(try await services.applications.sessions.latestSession(devEUI: devEUI) == nil)
            #expect(try await services.applications.registry.application(of: devEUI) == nil)
        }
        #expect(log.text.contains("ABP device: its session keys and frame counters are fixed for life"))
        #expect(T.leaks(in: log.text).isEmpty, "the log holds a key")
    }

    @Test("a DevEUI registered for OTAA cannot become an ABP device")
    func otaaDevEUIRefused() async throws {
        try await withServer { client in
            let otaa = try await client.call("POST", "/devices", json: JoinTestData.json([
                "dev_eui": Self.devEUI, "join_eui": "70B3D57ED0000001", "mac_version": "1.0.3", "app_key": JoinTestData.appKey,
            ]))
            #expect(otaa.status == 201)
            let reply = try await create(client, Self.legacyBody())
            #expect(reply.status == 409)
        } check: { services in
            let device = try await services.store.networkDevices.device(Self.eui)
            #expect(device == nil)
        }
    }
}
