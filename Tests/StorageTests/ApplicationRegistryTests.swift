import ApplicationServer
import Foundation
import LoRaWAN
import SQLKit
@testable import Storage
import Testing

@Suite("Application registry")
struct ApplicationRegistryTests {
    @Test("an application round-trips with its webhooks in order and its secret; an unknown id is nil", arguments: Backend.available)
    func roundTrip(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let registry = store.applications
            let fleet = ApplicationFixture.application("fleet", webhooks: 3)
            let bare = ApplicationFixture.application("bare", webhooks: 0)
            try await registry.save(fleet)
            try await registry.save(bare)

            let read = try #require(try await registry.application(fleet.id))
            #expect(read == fleet)
            #expect(read.webhookSecret.exportText() == fleet.webhookSecret.exportText())
            #expect(read.webhooks.map(\.url) == fleet.webhooks.map(\.url), "order and URLs, query included")
            #expect(try await registry.application(bare.id) == bare)
            #expect(try await registry.application(ApplicationFixture.applicationID("nothing")) == nil)
        }
    }

    @Test("saving an application again replaces its name, secret and webhooks, and keeps its devices", arguments: Backend.available)
    func replace(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let registry = store.applications
            let original = ApplicationFixture.application("fleet", webhooks: 3)
            try await registry.save(original)
            #expect(try await registry.assign(ApplicationFixture.devEUI(1), to: original.id))

            var changed = original
            changed.name = "renamed"
            changed.webhookSecret = .generate()
            changed.webhooks = [ApplicationFixture.webhook("http://10.0.0.1:8080/in"), original.webhooks[0]]
            try await registry.save(changed)
            #expect(try await registry.application(original.id) == changed)
            #expect(try await registry.application(of: ApplicationFixture.devEUI(1)) == changed)
            #expect(try await countRows("application_webhooks", in: store) == 2)
            #expect(try await countRows("applications", in: store) == 1)
        }
    }

    @Test("a device is assigned to one application at a time: assigning it elsewhere moves it", arguments: Backend.available)
    func assignmentMove(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let registry = store.applications
            let north = ApplicationFixture.application("north")
            let south = ApplicationFixture.application("south", webhooks: 1)
            try await registry.save(north)
            try await registry.save(south)
            let device = ApplicationFixture.devEUI(1)

            #expect(try await registry.application(of: device) == nil)
            #expect(try await registry.assign(device, to: north.id))
            #expect(try await registry.application(of: device) == north)

            #expect(try await registry.assign(device, to: south.id))
            #expect(try await registry.application(of: device) == south)
            #expect(try await registry.devices(of: north.id) == [])
            #expect(try await registry.devices(of: south.id) == [device])
            // Assigning it where it is already changes nothing.
            #expect(try await registry.assign(device, to: south.id))
            #expect(try await registry.devices(of: south.id) == [device])

            // An application that does not exist is refused, and the device stays where it was.
            #expect(try await !registry.assign(device, to: ApplicationFixture.applicationID("nowhere")))
            #expect(try await registry.application(of: device) == south)
        }
    }

    @Test("unassigning removes a device's assignment, and says when it had none", arguments: Backend.available)
    func unassign(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let registry = store.applications
            let fleet = ApplicationFixture.application("fleet")
            try await registry.save(fleet)
            #expect(try await registry.assign(ApplicationFixture.devEUI(1), to: fleet.id))
            #expect(try await registry.unassign(ApplicationFixture.devEUI(1)))
            #expect(try await !registry.unassign(ApplicationFixture.devEUI(1)))
            #expect(try await registry.application(of: ApplicationFixture.devEUI(1)) == nil)
            #expect(try await registry.application(fleet.id) == fleet, "the application stays")
        }
    }

    @Test("an application's devices are listed in DevEUI order", arguments: Backend.available)
    func devicesInOrder(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let registry = store.applications
            let fleet = ApplicationFixture.application("fleet")
            let other = ApplicationFixture.application("other")
            try await registry.save(fleet)
            try await registry.save(other)
            for n: UInt64 in [0xB0, 0x0A, 0xFF00, 0x01] { #expect(try await registry.assign(ApplicationFixture.devEUI(n), to: fleet.id)) }
            #expect(try await registry.assign(ApplicationFixture.devEUI(0x02), to: other.id))
            #expect(try await registry.devices(of: fleet.id) == [0x01, 0x0A, 0xB0, 0xFF00].map(ApplicationFixture.devEUI))
            #expect(try await registry.devices(of: ApplicationFixture.applicationID("none")) == [])
        }
    }

    @Test("deleting an application deletes its webhooks and device assignments, and only its own", arguments: Backend.available)
    func deleteCascades(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let registry = store.applications
            let doomed = ApplicationFixture.application("doomed", webhooks: 2)
            let kept = ApplicationFixture.application("kept", webhooks: 1)
            try await registry.save(doomed)
            try await registry.save(kept)
            for n: UInt64 in 1...3 { #expect(try await registry.assign(ApplicationFixture.devEUI(n), to: doomed.id)) }
            #expect(try await registry.assign(ApplicationFixture.devEUI(4), to: kept.id))

            #expect(try await registry.delete(doomed.id))
            #expect(try await !registry.delete(doomed.id))
            #expect(try await registry.application(doomed.id) == nil)
            #expect(try await registry.application(of: ApplicationFixture.devEUI(1)) == nil)
            #expect(try await registry.devices(of: doomed.id) == [])
            #expect(try await countRows("application_webhooks", in: store) == 1)
            #expect(try await countRows("application_devices", in: store) == 1)
            #expect(try await registry.application(of: ApplicationFixture.devEUI(4)) == kept)

            // An application created again under the id starts without devices.
            try await registry.save(ApplicationFixture.application("doomed"))
            #expect(try await registry.devices(of: doomed.id) == [])
        }
    }

    @Test("a webhook secret sealed for one application does not open as another's", arguments: Backend.available)
    func sealedSecretsAreBoundToTheirRow(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.applications.save(ApplicationFixture.application("victim"))
            try await store.applications.save(ApplicationFixture.application("donor"))
            try await store.engine.transaction { sql in
                try await sql.raw("""
                    UPDATE applications SET webhook_secret_sealed = (SELECT webhook_secret_sealed FROM applications WHERE id = 'donor')
                    WHERE id = 'victim'
                    """).run()
            }
            await #expect(throws: StorageError.secretRejected(table: "applications", row: "victim")) {
                _ = try await store.applications.application(ApplicationFixture.applicationID("victim"))
            }
        }
    }
}
