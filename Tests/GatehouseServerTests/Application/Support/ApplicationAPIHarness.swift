import ApplicationServer
import AsyncHTTPClient
import BackendInterfaces
import Foundation
@testable import GatehouseServer
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import JoinServer
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Storage
import Testing

/// The Application Server's routes on a real listener (127.0.0.1, any free port) over a real SQLite
/// data directory, mounted as the server mounts them: `/api/v1`, API keys, the error middleware.
/// The Network Server is the in-memory ``FakeNetworkDownlinkQueue``.
struct ApplicationAPIHarness: Sendable {
    let services: GatehouseServices
    let application: ApplicationServices
    let network: FakeNetworkDownlinkQueue
    let apiKey: String
    let port: Int
    let client: HTTPClient
    /// The development certificate, when the listener speaks TLS.
    let certificatePath: String?

    var baseURL: String { "\(certificatePath == nil ? "http" : "https")://localhost:\(port)" }

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String

        func object() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
                throw ScaffoldingFailure(description: "not a JSON object: \(body.prefix(200))")
            }
            return object
        }

        /// `error.code` and `error.message` of an API error body.
        func error() throws -> (code: String, message: String) {
            let detail = try #require(try object()["error"] as? [String: Any])
            return (try #require(detail["code"] as? String), try #require(detail["message"] as? String))
        }
    }

    /// `method /api/v1<path>` with the harness's API key (or `key`, or none with `authorized: false`).
    func call(_ method: String, _ path: String, json: String? = nil, key: String? = nil, authorized: Bool = true) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + "/api/v1" + path)
        request.method = HTTPMethod(rawValue: method)
        if authorized { request.headers.add(name: "Authorization", value: "Bearer \(key ?? apiKey)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: headers, body: String(buffer: body))
    }

    static func json(_ value: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// Opens a data directory, makes an API key, mounts the routes and runs `body` against them; stops the
/// listener and closes everything however `body` ends.
func withApplicationAPI<T: Sendable>(
    heartbeat: Duration = .seconds(15), tls: Bool = false, log: CapturedLog = CapturedLog(), _ body: (ApplicationAPIHarness) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory()
    let configuration = try testConfiguration(dataDirectory: directory.file("data"))
    let logger = Logger(label: "gatehouse") { LineLogHandler(label: $0, level: .trace, destination: log.destination) }
    let services = try await GatehouseServices.open(configuration, logger: logger)
    let network = FakeNetworkDownlinkQueue()
    let asID = ApplicationServerID("as.test")!
    let application = ApplicationServices.make(
        store: services.store, joinService: LocalJoinService(joinServer: services.joinServer, caller: .applicationServer(asID)), keks: KEKRing([]),
        applicationServerID: asID, networkDownlinks: network, logger: logger)
    let apiKey = try await services.store.apiKeys.create(name: "tests", at: Date(), actor: "test").plaintextKey

    let router = Router(context: APIRequestContext.self)
    router.add(middleware: APIErrorMiddleware())
    let api = router.group("api/v1").add(middleware: BearerAuthenticationMiddleware(apiKeys: services.store.apiKeys))
    ApplicationRoutes.add(to: api, services: application, heartbeat: heartbeat)

    var certificatePath: String?
    var clientTLS = TLSConfiguration.makeClientConfiguration()
    let server: HTTPServerBuilder
    if tls {
        let identity = try DevelopmentIdentityStore(dataDirectory: directory.file("data")).loadOrCreate(hostName: nil, now: Date(), logger: logger)
        certificatePath = identity.certificatePath
        server = try .tls(.http1(), tlsConfiguration: try APITLSPolicy.serverConfiguration(presenting: identity))
        // The harness's own client trusts the listener without a chain (see RemoteAPIOptions for what the CLI does).
        clientTLS.certificateVerification = .none
    } else {
        server = .http1()
    }
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router, server: server, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
        onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: clientTLS))

    do {
        let value = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw ScaffoldingFailure(description: "the listener did not start:\n\(log.text)") }
            return try await body(ApplicationAPIHarness(
                services: services, application: application, network: network, apiKey: apiKey, port: port, client: client,
                certificatePath: certificatePath))
        }
        try? await client.shutdown()
        await application.shutdown()
        await services.close()
        return value
    } catch {
        try? await client.shutdown()
        await application.shutdown()
        await services.close()
        throw error
    }
}
