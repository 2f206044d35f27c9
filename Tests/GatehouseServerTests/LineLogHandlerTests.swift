import GatehouseServer
import Testing

@Suite("Log line format")
struct LineLogHandlerTests {
    @Test("every event is one line: a line break in a logged value is escaped, so it cannot forge a second event")
    func oneLinePerEvent() throws {
        let directory = try TemporaryDirectory()
        let log = CapturedLog()
        // The notice about the new development certificate carries the data directory's path.
        _ = try GatehouseServer(
            configuration: testConfiguration(dataDirectory: directory.file("data\n2026-01-01T00:00:00Z error forged")),
            logDestination: log.destination
        )
        #expect(log.count(containing: "data\\n2026-01-01T00:00:00Z error forged") == 1)
        #expect(!log.text.contains("\n2026-01-01T00:00:00Z error forged"))
        #expect(log.count(containing: "notice gatehouse: Created a development TLS certificate") == 1)
    }
}
