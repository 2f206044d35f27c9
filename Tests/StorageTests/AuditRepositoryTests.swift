import Foundation
import GatewayPKI
import LoRaWAN
import SQLKit
@testable import Storage
import Testing

@Suite("Audit repository")
struct AuditRepositoryTests {
    @Test("events are queryable by gateway and inclusive time range, in time order, up to a limit", arguments: Backend.available)
    func queries(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let events = [
                Fixture.event(.gatewayRegistered, gateway: 1, at: Fixture.time(10)),
                Fixture.event(.gatewayRegistered, gateway: 2, at: Fixture.time(20)),
                Fixture.event(.certificateIssued, gateway: 1, at: Fixture.time(30), serial: "0a"),
                Fixture.event(.caCreated, at: Fixture.time(40)),
                Fixture.event(.certificateRevoked, gateway: 1, at: Fixture.time(50), serial: "0a"),
            ]
            // Appended out of order: the query orders by time.
            for event in events.reversed() { try await store.audit.append(event) }

            let all = try await store.audit.events(gateway: nil, from: nil, to: nil, limit: 100)
            #expect(all.map(\.time) == events.map(\.time))
            #expect(all.allSatisfy { $0.id != nil })
            #expect(all.map { var event = $0; event.id = nil; return event } == events)

            let gatewayOne = try await store.audit.events(gateway: Fixture.eui(1), from: nil, to: nil, limit: 100)
            #expect(gatewayOne.map(\.action) == [.gatewayRegistered, .certificateIssued, .certificateRevoked])
            let window = try await store.audit.events(gateway: nil, from: Fixture.time(20), to: Fixture.time(40), limit: 100)
            #expect(window.map(\.time) == [Fixture.time(20), Fixture.time(30), Fixture.time(40)])
            let gatewayWindow = try await store.audit.events(gateway: Fixture.eui(1), from: Fixture.time(11), to: Fixture.time(50), limit: 100)
            #expect(gatewayWindow.map(\.serial) == ["0a", "0a"])
            #expect(try await store.audit.events(gateway: nil, from: nil, to: nil, limit: 2).count == 2)
            #expect(try await store.audit.events(gateway: nil, from: nil, to: nil, limit: -1).isEmpty)
        }
    }

    @Test("the database itself refuses to update or delete audit events", arguments: Backend.available)
    func appendOnly(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.audit.append(Fixture.event(.caCreated))
            // Nothing in the API can change an event; not even raw SQL on the store's own connection can.
            for statement in ["UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events"] {
                await #expect(throws: StorageError.self) {
                    try await store.engine.transaction { sql in try await sql.raw(SQLQueryString(statement)).run() }
                }
            }
            let events = try await store.audit.events(gateway: nil, from: nil, to: nil, limit: 10)
            #expect(events.map(\.actor) == ["cli"])
        }
    }
}
