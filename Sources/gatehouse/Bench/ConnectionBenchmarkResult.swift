import Foundation

/// What `gatehouse bench connections` measured, and its report.
struct ConnectionBenchmarkResult {
    var serverBefore = ProcessMemory.zero
    var serverHalf = ProcessMemory.zero
    var serverAll = ProcessMemory.zero
    var serverAfterRound = ProcessMemory.zero
    var serverDisconnected = ProcessMemory.zero
    var serverReconnected = ProcessMemory.zero
    /// The server's memory after each reconnection round.
    var serverReconnectedRounds: [ProcessMemory] = []
    var clientBefore = ProcessMemory.zero
    var clientAll = ProcessMemory.zero
    var halfConnected = 0
    var connected = 0
    var reconnected = 0
    var failures: [String] = []
    var connectSeconds = 0.0
    /// Live traffic connections in `GET /api/v1/connections` with all connected.
    var heldByAPI = 0
    /// Sockets whose `timesync` was answered, after all connected.
    var answered = 0
    var roundSeconds = 0.0

    func print(count: Int) {
        let perConnection = Double(serverAll.residentBytes - serverBefore.residentBytes) / Double(max(connected, 1))
        let anonymousPerConnection = Double(serverAll.anonymousBytes - serverBefore.anonymousBytes) / Double(max(connected, 1))
        let marginal = Double(serverAll.residentBytes - serverHalf.residentBytes) / Double(max(connected - halfConnected, 1))
        let afterRound = Double(serverAfterRound.residentBytes - serverBefore.residentBytes) / Double(max(connected, 1))
        let afterReconnect = Double(serverReconnected.residentBytes - serverBefore.residentBytes) / Double(max(reconnected, 1))
        let client = Double(clientAll.residentBytes - clientBefore.residentBytes) / Double(max(connected, 1))
        let rows: [(String, ProcessMemory)] = [
            ("before connecting", serverBefore), ("\(halfConnected) connected", serverHalf), ("\(connected) connected", serverAll),
            ("after a timesync on each", serverAfterRound), ("all disconnected", serverDisconnected),
        ] + serverReconnectedRounds.enumerated().map { ("\(reconnected) reconnected, round \($0.offset + 1)", $0.element) }

        Swift.print(String(format: "  connected %d of %d in %.1f s (%.0f connections/s: TLS 1.2 handshake, upgrade, version, router_config)",
                           connected, count, connectSeconds, Double(connected) / max(connectSeconds, 1e-9)))
        if let first = failures.first { Swift.print("  \(failures.count) connections failed; the first: \(first)") }
        Swift.print("  held: \(heldByAPI) traffic connections listed by GET /api/v1/connections; timesync answered on \(answered) "
                    + String(format: "(%.1f s for the round)", roundSeconds))
        Swift.print("")
        Swift.print("server process memory              VmRSS      RssAnon")
        for (name, memory) in rows {
            Swift.print(name.padding(toLength: 30, withPad: " ", startingAt: 0)
                        + String(format: "%9.1f MiB %8.1f MiB", Self.mebibytes(memory.residentBytes), Self.mebibytes(memory.anonymousBytes)))
        }
        Swift.print("")
        Swift.print("per connection                                              KiB   vs target 50 KiB")
        for (name, bytes) in [
            ("server VmRSS growth / connections", perConnection), ("server RssAnon growth / connections", anonymousPerConnection),
            ("server VmRSS, second half only (marginal)", marginal), ("server VmRSS after a timesync on each", afterRound),
            ("server VmRSS after every station reconnected", afterReconnect),
            ("simulator (reference: the client end, own TLS context)", client),
        ] {
            Swift.print(name.padding(toLength: 58, withPad: " ", startingAt: 0)
                        + String(format: "%6.1f %10.2f", bytes / 1024, bytes / Double(ConnectionBenchmark.targetBytesPerConnection)))
        }
        let target = Double(ConnectionBenchmark.targetBytesPerConnection)
        let held = connected == count && heldByAPI == count && answered == count
        Swift.print("target: \(count) connections held, under 50 KiB each: "
                    + (held ? "all held" : "NOT all held")
                    + String(format: "; %.1f KiB on a fresh server (%@), %.1f KiB after every station reconnected (%@)",
                             perConnection / 1024, perConnection < target ? "met" : "NOT met",
                             afterReconnect / 1024, afterReconnect < target ? "met" : "NOT met"))
    }

    static func mebibytes(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }
}

extension ProcessMemory {
    static let zero = ProcessMemory(residentBytes: 0, anonymousBytes: 0)
}
