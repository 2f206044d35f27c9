import ArgumentParser
import Foundation
import LoRaWAN
import StationSimulator

/// `gatehouse simulate`: a virtual LoRa Basics Station with virtual devices, against a real LNS over
/// mutual TLS. It discovers the traffic URI through `/router-info`, reads the `router_config`, joins
/// every device of the device file, sends uplinks at a total rate, and checks join-accepts and
/// downlinks as the devices would (MICs, counters, decryption).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a virtual Basics Station gateway with virtual LoRaWAN devices against an LNS.",
        discussion: """
            The device file is JSON: {"devices":[{"devEUI":"…","joinEUI":"…","macVersion":"1.1","appKey":"…","nwkKey":"…"}]} \
            (keys as 32 hex digits; nwkKey for 1.1 only; optional nextDevNonce and fOptsVariant). It holds root keys: \
            treat it as a secret (owner-only permissions, never in version control). The credentials directory holds the \
            station's tc.trust, tc.crt and tc.key (PEM or DER).
            Exit status: 0 when every device joined, every uplink was sent and every downlink verified (and every \
            confirmed uplink was acknowledged); 1 otherwise; 2 for a usage error.
            """)

    @Option(help: "The LNS, as a station's tc.uri: wss://host:port.") var lns: String?
    @Option(help: "LNS host (instead of --lns).") var host: String?
    @Option(help: "LNS port (with --host).") var port: Int = 8887
    @Option(name: .customLong("gateway-eui"), help: "The gateway's EUI (its certificate's).") var gatewayEUI: String
    @Option(help: "Directory with the station's tc.trust, tc.crt and tc.key.") var credentials: String
    @Option(name: .customLong("tls-server-name"), help: "Host name to verify the LNS certificate against, when it differs from the host connected to.")
    var tlsServerName: String?
    @Option(help: "Device file (JSON with root keys: a secret).") var devices: String
    @Option(help: "Channel plan of the devices; default: the region of the LNS's router_config.") var region: String?
    @Option(help: "Uplinks per device.") var uplinks: Int = 1
    @Option(help: "Total uplinks per second across all devices (0: as fast as possible).") var rate: Double = 10
    @Option(help: "Stop sending uplinks after this many seconds.") var duration: Double?
    @Option(help: "Application payload as hex.") var payload: String = "01"
    @Option(name: .customLong("fport"), help: "FPort of the uplinks (1-224).") var fPort: UInt8 = 1
    @Flag(help: "Send confirmed uplinks and expect each to be acknowledged.") var confirmed = false
    @Option(help: "Seconds to wait for router_config and for each join-accept.") var timeout: Double = 10
    @Option(name: .customLong("downlink-wait"), help: "Seconds to wait for downlinks after the last uplink.") var downlinkWait: Double = 3
    @Option(name: .customLong("join-concurrency"), help: "Join-requests outstanding at once.") var joinConcurrency: Int = 16
    @Option(name: .customLong("join-attempts"), help: "Join-requests per device before it counts as failed.") var joinAttempts: Int = 1
    @Option(name: .customLong("dev-nonce-start"), help: "First DevNonce of 1.0.4/1.1 devices (a server refuses one it has seen).")
    var devNonceStart: UInt16?

    func validate() throws {
        guard lns != nil || host != nil else { throw ValidationError("give --lns wss://host:port or --host") }
        guard lns == nil || host == nil else { throw ValidationError("give either --lns or --host, not both") }
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1 to 65535") }
        guard (0...1_000_000).contains(uplinks) else { throw ValidationError("--uplinks must be 0 to 1000000") }
        guard rate >= 0, rate <= 1_000_000 else { throw ValidationError("--rate must be 0 to 1000000") }
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be in (0, 600]") }
        guard downlinkWait >= 0, downlinkWait <= 600 else { throw ValidationError("--downlink-wait must be 0 to 600") }
        guard duration.map({ $0 > 0 }) ?? true else { throw ValidationError("--duration must be positive") }
        guard (1...1_000).contains(joinConcurrency) else { throw ValidationError("--join-concurrency must be 1 to 1000") }
        guard (1...100).contains(joinAttempts) else { throw ValidationError("--join-attempts must be 1 to 100") }
        guard (1...224).contains(fPort) else { throw ValidationError("--fport must be 1 to 224") }
    }

    func run() async throws {
        let gateway = try requireEUI(gatewayEUI, "--gateway-eui")
        guard let payloadBytes = Hex.decode(payload) else { throw CommandLineFailure.usage("--payload: not hex") }
        let address = try lnsAddress()
        let deviceFile: SimulationDeviceFile
        do {
            deviceFile = try SimulationDeviceFile(contentsOf: devices)
            _ = try deviceFile.devices(region: .eu868, nextDevNonce: devNonceStart)  // check every entry before connecting
        } catch {
            throw CommandLineFailure.usage("--devices: \(error)")
        }
        let connections = try connectionFactory()
        var options = SimulatedStationOptions()
        options.routerConfigTimeout = .seconds(timeout)

        print("gatehouse simulate: gateway \(gateway) to \(address)")
        let station: SimulatedStation
        do {
            let traffic = try await SimulatedStation.discoverTrafficURI(lns: address, gatewayEUI: gateway, connections: connections)
            print("  router-info: traffic at \(traffic)")
            station = try await SimulatedStation.connect(traffic: traffic, gatewayEUI: gateway, connections: connections, options: options)
        } catch {
            throw CommandLineFailure.invalidData("\(error)")
        }
        guard let routerConfig = await station.routerConfig else { throw CommandLineFailure.invalidData("no router_config") }
        print("  " + SimulateReportText.routerConfig(routerConfig))

        let plan = try makePlan(deviceFile, routerConfig: routerConfig, payload: payloadBytes)
        print("  devices: " + SimulateReportText.devices(plan.devices, file: devices))
        let summary = await SimulationRunner(station: station, plan: plan).run { event in
            print(SimulateReportText.event(event))
        }
        await station.close()
        print(SimulateReportText.summary(summary))
        if summary.joinFailures > 0, plan.devices.contains(where: { $0.macVersion.devNonceRule == .increasing }) {
            print("hint: a Join Server ignores a 1.0.4/1.1 join-request whose DevNonce is not above the last one it accepted; "
                + "continue above it with --dev-nonce-start N (or nextDevNonce in the device file)")
        }
        guard summary.succeeded else { throw CommandLineFailure.invalidData("simulation failed: \(summary)") }
    }

    private func lnsAddress() throws -> LNSAddress {
        if let lns {
            do throws(SimulatedStationError) {
                return try LNSAddress(parsing: lns)
            } catch {
                throw CommandLineFailure.usage("--lns: \(error)")
            }
        }
        return LNSAddress(host: host ?? "localhost", port: port)
    }

    private func connectionFactory() throws -> StationConnectionFactory {
        let directory = URL(fileURLWithPath: credentials)
        func file(_ name: String) -> String? {
            let path = directory.appendingPathComponent(name).path
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        guard let trust = file("tc.trust") else { throw CommandLineFailure.usage("--credentials: \(credentials)/tc.trust is missing") }
        do {
            var tls = try StationTLSCredentials(trustFile: trust, certificateFile: file("tc.crt"), keyFile: file("tc.key"))
            if let tlsServerName { tls.serverName = tlsServerName }
            return try StationConnectionFactory(credentials: tls)
        } catch {
            throw CommandLineFailure.usage("--credentials: \(error)")
        }
    }

    private func makePlan(_ file: SimulationDeviceFile, routerConfig: StationRouterConfig, payload: [UInt8]) throws -> SimulationPlan {
        let plan: Region
        if let region {
            guard let chosen = Region(region) else { throw CommandLineFailure.usage("--region: '\(region)' is not EU868, US915, AU915 or AS923-1") }
            plan = chosen
        } else if let fromLNS = routerConfig.region {
            plan = fromLNS
        } else {
            throw CommandLineFailure.invalidData("the router_config region '\(routerConfig.regionName)' is not one Gatehouse models; give --region")
        }
        var simulation: SimulationPlan
        do {
            simulation = SimulationPlan(devices: try file.devices(region: plan, nextDevNonce: devNonceStart))
        } catch {
            throw CommandLineFailure.usage("--devices: \(error)")
        }
        simulation.joinConcurrency = joinConcurrency
        simulation.joinAttempts = joinAttempts
        simulation.joinTimeout = .seconds(timeout)
        simulation.uplinksPerDevice = uplinks
        simulation.uplinkRate = rate
        simulation.uplinkDuration = duration.map { .seconds($0) }
        simulation.fPort = fPort
        simulation.payload = payload
        simulation.confirmed = confirmed
        simulation.downlinkWait = .seconds(downlinkWait)
        return simulation
    }
}
