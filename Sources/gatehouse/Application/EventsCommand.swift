import ApplicationServer
import ArgumentParser
import Foundation
import GatehouseServer
import NIOCore
import NIOHTTP1

/// `gatehouse events`: follows a running server's live event stream (`GET /api/v1/events`, server-sent
/// events over HTTPS) and prints each event as one line of JSON, as it happens, until Ctrl-C or until
/// the server ends the stream. Where the server dropped events because this reader was too slow, a
/// `{"type":"lagged","dropped":N}` line says how many.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Print a running server's application events as JSON lines, as they happen.",
        discussion: "Nothing is replayed: only events published while connected are shown. Webhooks are the durable path.")

    /// The server sends a heartbeat every 15 seconds: three missed ones mean the connection is dead.
    static let longestSilence: TimeAmount = .seconds(45)

    @OptionGroup var remote: RemoteAPIOptions

    @Flag(name: .customLong("follow"), help: "Keep printing events as they come (the default; the only mode).")
    var follow = false

    @Option(name: .customLong("application"), help: "Only this application's events (default: every event).")
    var application: String?

    func run() async throws {
        var path = "/api/v1/events"
        if let application {
            guard let id = ApplicationID(application) else { throw CommandLineFailure.usage("--application: \(ApplicationID.rule)") }
            path += "?application=\(id.rawValue)"
        }
        let headers = try remote.headers(accept: "text/event-stream")
        let connection = try remote.connection()
        do {
            try await connection.exchange(.GET, path, headers: headers, readTimeout: Self.longestSilence) { answer in
                guard answer.head.status == .ok else {
                    throw RemoteAPIOptions.refusal(status: answer.head.status, body: try await answer.collect(upTo: 1 << 20))
                }
                var reader = ServerSentEventReader()
                while let chunk = try await answer.next() {
                    for event in try reader.read(chunk.readableBytesView) {
                        FileHandle.standardOutput.write(Data((event.data + "\n").utf8))
                    }
                }
            }
        } catch let error as ServerSentEventReaderError {
            throw CommandLineFailure.invalidData(error.description)
        } catch is APIReadTimeout {
            throw CommandLineFailure.invalidData("the server sent nothing for \(Self.longestSilence.nanoseconds / 1_000_000_000) seconds; the connection is lost")
        } catch {
            throw RemoteAPIOptions.explained(error)
        }
        standardError("gatehouse: the server ended the event stream")
    }
}
