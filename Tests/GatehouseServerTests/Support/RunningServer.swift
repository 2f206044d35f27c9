import BackendInterfaces
import Foundation
import GatehouseServer

/// A server started for one test, and what the test needs to reach it.
struct TestEndpoint: Sendable {
    var port: Int
    var certificatePath: String
    /// The plain-HTTP (CRL) port.
    var httpPort: Int
    /// The gateway listener's port (CUPS and LNS, mutual TLS).
    var gatewayPort: Int = 0
    /// The Join Server's Backend Interfaces port (HTTPS, client certificates).
    var backendPort: Int = 0
    /// A folder where tools may leave scratch files.
    var scratchDirectory: String
}

/// A failure of the test scaffolding itself.
struct ScaffoldingFailure: Error, CustomStringConvertible {
    var description: String
}

/// A configuration for tests: loopback only, any free port, data in `dataDirectory`.
func testConfiguration(
    dataDirectory: String,
    logLevel: String = "debug",
    tlsCertificate: String? = nil,
    tlsPrivateKey: String? = nil
) throws -> GatehouseConfiguration {
    try GatehouseConfiguration(
        commandLine: .init(
            dataDirectory: dataDirectory,
            bindHost: "127.0.0.1",
            apiPort: "0",
            tlsCertificatePath: tlsCertificate,
            tlsPrivateKeyPath: tlsPrivateKey,
            logLevel: logLevel,
            httpPort: "0",
            gatewayPort: "0",
            gatewayHost: "localhost",
            backendPort: "0"
        ),
        environment: [:]
    )
}

/// Starts a real server, runs `body` against it, and stops the server however `body` ends.
///
/// The server runs in a child task of a task group; leaving the group cancels it, which shuts the
/// listener down, so no server outlives its test.
func withRunningServer<Result: Sendable>(
    _ configuration: GatehouseConfiguration,
    log: CapturedLog = CapturedLog(),
    gatewayTraffic: (any GatewayTrafficHandler)? = nil,
    _ body: (TestEndpoint) async throws -> Result
) async throws -> Result {
    let (endpoints, continuation) = AsyncStream.makeStream(of: APIEndpoint.self)
    let server = try GatehouseServer(configuration: configuration, logDestination: log.destination, gatewayTraffic: gatewayTraffic) { endpoint in
        continuation.yield(endpoint)
    }
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            defer { continuation.finish() }
            try await server.run()
        }
        defer { group.cancelAll() }
        var iterator = endpoints.makeAsyncIterator()
        guard let endpoint = await iterator.next() else {
            try await group.waitForAll()
            throw ScaffoldingFailure(description: "The server stopped before it listened. Log:\n\(log.text)")
        }
        return try await body(
            TestEndpoint(
                port: endpoint.port,
                certificatePath: endpoint.certificatePath,
                httpPort: endpoint.httpPort,
                gatewayPort: endpoint.gatewayPort,
                backendPort: endpoint.backendPort,
                scratchDirectory: FileManager.default.temporaryDirectory.path
            )
        )
    }
}

extension GatehouseServer {
    /// Prepares a server whose log goes nowhere, for tests that look only at files and errors.
    init(quietly configuration: GatehouseConfiguration) throws(TLSIdentityError) {
        try self.init(configuration: configuration, logDestination: .lines { _ in })
    }
}
