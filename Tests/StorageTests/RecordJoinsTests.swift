import Foundation
import JoinServer
import LoRaWAN
import SQLKit
@testable import Storage
import Testing

/// DESIGN.md invariant 6 as storage decides it: `recordJoins`, the Join Server's group commit.
@Suite("Recording joins")
struct RecordJoinsTests {
    @Test("the rules, decided in memory: transfer first, then the nonce, then the JoinNonce")
    func rules() {
        var state = JoinNonceState(transferred: false, lastDevNonce: nil, lastRJCount1: nil, lastJoinNonce: nil)
        #expect(state.decide(.devNonce(DevNonce(0), .increasing)) == JoinFixture.accepted(1))
        #expect(state.decide(.devNonce(DevNonce(0), .increasing)) == .nonceNotIncreasing(last: 0))
        #expect(state.decide(.rjCount1(RJCount(0))) == JoinFixture.accepted(2))
        #expect(state.decide(.rjCount1(RJCount(0))) == .nonceNotIncreasing(last: 0))
        #expect(state.decide(.rjCount0(RJCount(0))) == JoinFixture.accepted(3))
        #expect(state.decide(.devNonce(DevNonce(9), .neverReused)) == JoinFixture.accepted(4))
        #expect(state.decide(.devNonce(DevNonce(9), .neverReused)) == .devNonceReused)
        #expect(state == JoinNonceState(transferred: false, lastDevNonce: 0, lastRJCount1: 0, lastJoinNonce: 4, usedDevNonces: [9]))

        var exhausted = JoinNonceState(transferred: false, lastDevNonce: 7, lastRJCount1: nil, lastJoinNonce: 0xFF_FFFF)
        #expect(exhausted.decide(.devNonce(DevNonce(6), .increasing)) == .nonceNotIncreasing(last: 7), "the nonce is checked first")
        #expect(exhausted.decide(.devNonce(DevNonce(8), .increasing)) == .joinNonceExhausted)
        #expect(exhausted.lastDevNonce == 7, "a refusal changes nothing")

        var transferred = JoinNonceState(transferred: true, lastDevNonce: nil, lastRJCount1: nil, lastJoinNonce: nil)
        #expect(transferred.decide(.rjCount0(RJCount(1))) == .transferred)
    }

    @Test("an unknown device and a transferred device are refused", arguments: Backend.available)
    func unknownAndTransferred(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            var transferred = JoinFixture.device(2)
            transferred.transferredAt = Fixture.time(1)
            _ = try await store.joinDevices.insert(transferred, audit: JoinFixture.event(.deviceCreated, device: 2))
            let outcomes = try await store.joinDevices.recordJoins([JoinFixture.counting(1, 1), JoinFixture.counting(2, 1)], at: Fixture.time(2))
            #expect(outcomes == [.unknownDevice, .transferred])
            #expect(try await store.joinDevices.lastJoinNonce(JoinFixture.devEUI(2)) == nil)
            #expect(try await rowCount("join_sessions", store) == 0)
        }
    }

    @Test("a 1.0.x DevNonce is accepted once and refused ever after", arguments: Backend.available)
    func legacyNeverReused(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(1, version: .v1_0_2), audit: JoinFixture.event(.deviceCreated, device: 1))
            let repository = store.joinDevices
            #expect(try await repository.recordJoins([JoinFixture.legacy(1, 0xBEEF)], at: Fixture.time(1)) == [JoinFixture.accepted(1)])
            // Random nonces may go down: only reuse is refused.
            #expect(try await repository.recordJoins([JoinFixture.legacy(1, 3)], at: Fixture.time(2)) == [JoinFixture.accepted(2)])
            #expect(try await repository.recordJoins([JoinFixture.legacy(1, 0xBEEF)], at: Fixture.time(3)) == [.devNonceReused])
            #expect(try await repository.recordJoins([JoinFixture.legacy(1, 3)], at: Fixture.time(4)) == [.devNonceReused])
            #expect(try await repository.lastJoinNonce(JoinFixture.devEUI(1)) == JoinNonce(2))
            #expect(try await rowCount("join_used_dev_nonces", store) == 2)
        }
    }

    @Test("a 1.0.4/1.1 DevNonce must exceed the last accepted one; the first may be anything", arguments: Backend.available)
    func countingIncreases(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(1, version: .v1_0_4), audit: JoinFixture.event(.deviceCreated, device: 1))
            let repository = store.joinDevices
            #expect(try await repository.recordJoins([JoinFixture.counting(1, 5)], at: Fixture.time(1)) == [JoinFixture.accepted(1)])
            #expect(try await repository.recordJoins([JoinFixture.counting(1, 5)], at: Fixture.time(2)) == [.nonceNotIncreasing(last: 5)])
            #expect(try await repository.recordJoins([JoinFixture.counting(1, 4)], at: Fixture.time(3)) == [.nonceNotIncreasing(last: 5)])
            #expect(try await repository.recordJoins([JoinFixture.counting(1, 6)], at: Fixture.time(4)) == [JoinFixture.accepted(2)])
            #expect(try await repository.recordJoins([JoinFixture.counting(1, 0xFFFF)], at: Fixture.time(5)) == [JoinFixture.accepted(3)])
            #expect(try await repository.recordJoins([JoinFixture.counting(1, 0)], at: Fixture.time(6)) == [.nonceNotIncreasing(last: 0xFFFF)])
            #expect(try await rowCount("join_used_dev_nonces", store) == 0, "counting nonces need no history")
        }
    }

    @Test("RJcount1 must exceed the last accepted one; RJcount0 is not checked; each takes a JoinNonce", arguments: Backend.available)
    func rejoinCounters(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(1), audit: JoinFixture.event(.deviceCreated, device: 1))
            let repository = store.joinDevices
            let rejoin1 = { (count: UInt16) in JoinFixture.attempt(1, .rjCount1(RJCount(count))) }
            let rejoin0 = { (count: UInt16) in JoinFixture.attempt(1, .rjCount0(RJCount(count))) }
            #expect(try await repository.recordJoins([rejoin1(3)], at: Fixture.time(1)) == [JoinFixture.accepted(1)])
            #expect(try await repository.recordJoins([rejoin1(3)], at: Fixture.time(2)) == [.nonceNotIncreasing(last: 3)])
            #expect(try await repository.recordJoins([rejoin1(2)], at: Fixture.time(3)) == [.nonceNotIncreasing(last: 3)])
            #expect(try await repository.recordJoins([rejoin0(0), rejoin0(0)], at: Fixture.time(4)) == [JoinFixture.accepted(2), JoinFixture.accepted(3)])
            // The three counters are independent: a DevNonce of 0 is still fine.
            #expect(try await repository.recordJoins([JoinFixture.counting(1, 0), rejoin1(4)], at: Fixture.time(5)) == [JoinFixture.accepted(4), JoinFixture.accepted(5)])
        }
    }

    @Test("the JoinNonce counts up from 1, and past 2^24 - 1 the join is refused and nothing is written", arguments: Backend.available)
    func joinNonceExhaustion(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(1, version: .v1_0_1), audit: JoinFixture.event(.deviceCreated, device: 1))
            try await store.engine.transaction { sql in
                try await sql.raw("UPDATE join_devices SET last_join_nonce = 16777214 WHERE dev_eui = \(bind: JoinFixture.devEUI(1).description)").run()
            }
            let last = JoinFixture.legacy(1, 1)
            let refused = JoinFixture.legacy(1, 2)
            #expect(try await store.joinDevices.recordJoins([last, refused], at: Fixture.time(1)) == [.accepted(JoinNonce.max), .joinNonceExhausted])
            #expect(try await store.joinDevices.lastJoinNonce(JoinFixture.devEUI(1)) == JoinNonce.max)
            #expect(try await store.joinDevices.session(devEUI: refused.devEUI, sessionKeyID: refused.sessionKeyID) == nil)
            // The refused DevNonce was not recorded as used: after re-keying (and a nonce reset) it is fine.
            #expect(try await rowCount("join_used_dev_nonces", store) == 1)
        }
    }

    @Test("two attempts for one device in one batch: the second sees the first", arguments: Backend.available)
    func sameDeviceTwice(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(1, version: .v1_0_0), audit: JoinFixture.event(.deviceCreated, device: 1))
            _ = try await store.joinDevices.insert(JoinFixture.device(2), audit: JoinFixture.event(.deviceCreated, device: 2))
            _ = try await store.joinDevices.insert(JoinFixture.device(3), audit: JoinFixture.event(.deviceCreated, device: 3))
            let outcomes = try await store.joinDevices.recordJoins(
                [
                    JoinFixture.legacy(1, 77), JoinFixture.legacy(1, 77),
                    JoinFixture.counting(2, 10), JoinFixture.counting(2, 9),
                    JoinFixture.counting(3, 10), JoinFixture.counting(3, 11),
                ], at: Fixture.time(1))
            #expect(outcomes == [
                JoinFixture.accepted(1), .devNonceReused,
                JoinFixture.accepted(1), .nonceNotIncreasing(last: 10),
                JoinFixture.accepted(1), JoinFixture.accepted(2),
            ])
            #expect(try await store.joinDevices.lastJoinNonce(JoinFixture.devEUI(3)) == JoinNonce(2))
            #expect(try await store.joinDevices.recordJoins([JoinFixture.counting(3, 11)], at: Fixture.time(2)) == [.nonceNotIncreasing(last: 11)])
        }
    }

    @Test("a mixed batch is decided attempt by attempt and answered in input order", arguments: Backend.available)
    func mixedBatch(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(1, version: .v1_0_3), audit: JoinFixture.event(.deviceCreated, device: 1))
            _ = try await store.joinDevices.insert(JoinFixture.device(2), audit: JoinFixture.event(.deviceCreated, device: 2))
            var gone = JoinFixture.device(3)
            gone.transferredAt = Fixture.time(0)
            _ = try await store.joinDevices.insert(gone, audit: JoinFixture.event(.deviceCreated, device: 3))
            #expect(try await store.joinDevices.recordJoins([JoinFixture.legacy(1, 5), JoinFixture.counting(2, 50)], at: Fixture.time(1)).count == 2)

            let batch = [
                JoinFixture.counting(2, 49), JoinFixture.legacy(1, 5), JoinFixture.counting(9, 1), JoinFixture.legacy(1, 6),
                JoinFixture.counting(3, 1), JoinFixture.counting(2, 51), JoinFixture.attempt(2, .rjCount0(RJCount(4))), JoinFixture.legacy(1, 5),
            ]
            let outcomes = try await store.joinDevices.recordJoins(batch, at: Fixture.time(2))
            #expect(outcomes == [
                .nonceNotIncreasing(last: 50), .devNonceReused, .unknownDevice, JoinFixture.accepted(2),
                .transferred, JoinFixture.accepted(2), JoinFixture.accepted(3), .devNonceReused,
            ])
            for (attempt, outcome) in zip(batch, outcomes) {
                let session = try await store.joinDevices.session(devEUI: attempt.devEUI, sessionKeyID: attempt.sessionKeyID)
                if case .accepted(let joinNonce) = outcome {
                    #expect(session?.joinNonce == joinNonce)
                } else {
                    #expect(session == nil, "a refused attempt stores no session")
                }
            }
        }
    }

    @Test("an accepted attempt's session is stored with its parameters and JoinNonce", arguments: Backend.available)
    func sessions(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(1), audit: JoinFixture.event(.deviceCreated, device: 1))
            let attempts = [JoinFixture.counting(1, 300), JoinFixture.attempt(1, .rjCount1(RJCount(2)), derivation: .optNegZero)]
            #expect(try await store.joinDevices.recordJoins(attempts, at: Fixture.time(8)).count == 2)
            for (index, attempt) in attempts.enumerated() {
                let expected = JoinSession(
                    sessionKeyID: attempt.sessionKeyID, devEUI: attempt.devEUI, parameters: attempt.session,
                    joinNonce: JoinNonce(UInt32(index + 1))!, createdAt: Fixture.time(8))
                #expect(try await store.joinDevices.session(devEUI: attempt.devEUI, sessionKeyID: attempt.sessionKeyID) == expected)
            }
            #expect(try await store.joinDevices.session(devEUI: JoinFixture.devEUI(2), sessionKeyID: attempts[0].sessionKeyID) == nil)
            #expect(try await store.joinDevices.session(devEUI: JoinFixture.devEUI(1), sessionKeyID: Fixture.randomBytes(16)) == nil)
        }
    }

    @Test("a batch of 500 joins over 250 devices is one transaction and all are accepted", arguments: Backend.available)
    func batchOf500(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            // Even devices count their DevNonces (1.1), odd ones pick them at random (1.0.2).
            let numbers: [UInt64] = Array(1...250)
            let devices = numbers.map { n in JoinFixture.device(n, version: n % 2 == 0 ? MACVersion.v1_1 : MACVersion.v1_0_2) }
            #expect(try await store.joinDevices.insertBatch(devices, audit: JoinFixture.event(.deviceImported)).isEmpty)
            // Each device's first attempt, in random device order, then each one's second.
            var batch: [JoinAttempt] = []
            for round in 0..<2 {
                for n in numbers.shuffled() {
                    batch.append(n % 2 == 0 ? JoinFixture.counting(n, UInt16(round + 1)) : JoinFixture.legacy(n, UInt16(n) + UInt16(round * 1000)))
                }
            }
            let outcomes = try await store.joinDevices.recordJoins(batch, at: Fixture.time(1))
            #expect(outcomes.count == 500)
            var seen: [EUI64: [UInt32]] = [:]
            for (attempt, outcome) in zip(batch, outcomes) {
                guard case .accepted(let joinNonce) = outcome else {
                    Issue.record("refused: \(outcome)")
                    continue
                }
                seen[attempt.devEUI, default: []].append(joinNonce.rawValue)
            }
            #expect(seen.count == 250)
            #expect(seen.values.allSatisfy { $0 == [1, 2] }, "each device's JoinNonces follow batch order")
            #expect(try await rowCount("join_sessions", store) == 500)
            #expect(try await rowCount("join_used_dev_nonces", store) == 250)
            // Replayed, every attempt is refused.
            let replay = try await store.joinDevices.recordJoins(batch, at: Fixture.time(2))
            #expect(replay.allSatisfy { $0 == .devNonceReused || $0 == .nonceNotIncreasing(last: 2) })
        }
    }

    @Test("a batch larger than one chunk keeps each device's attempts in order", arguments: Backend.available)
    func severalChunks(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let devices = (1...700).map { JoinFixture.device(UInt64($0), version: .v1_0_4) }
            #expect(try await store.joinDevices.insertBatch(devices, audit: JoinFixture.event(.deviceImported)).isEmpty)
            // Device n sends nonces 3, 1, 2 (the middle one is stale); interleaved across the batch.
            let batch = [UInt16(3), 1, 2].flatMap { nonce in (1...700).map { JoinFixture.counting(UInt64($0), nonce) } }
            #expect(SQLJoinDeviceRepository.chunks(of: batch).count > 1)
            let outcomes = try await store.joinDevices.recordJoins(batch, at: Fixture.time(1))
            #expect(outcomes[0..<700].allSatisfy { $0 == JoinFixture.accepted(1) })
            #expect(outcomes[700..<1400].allSatisfy { $0 == .nonceNotIncreasing(last: 3) })
            #expect(outcomes[1400..<2100].allSatisfy { $0 == .nonceNotIncreasing(last: 3) })
            #expect(try await store.joinDevices.lastJoinNonce(JoinFixture.devEUI(700)) == JoinNonce(1))
        }
    }

    @Test("nonce state, used DevNonces and sessions survive closing and reopening", arguments: Backend.available)
    func survivesReopen(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let legacyDevice = JoinFixture.device(1, version: .v1_0_2)
            let device = JoinFixture.device(2)
            _ = try await store.joinDevices.insert(legacyDevice, audit: JoinFixture.event(.deviceCreated, device: 1))
            _ = try await store.joinDevices.insert(device, audit: JoinFixture.event(.deviceCreated, device: 2))
            let attempts = [JoinFixture.legacy(1, 1234), JoinFixture.counting(2, 40), JoinFixture.attempt(2, .rjCount1(RJCount(9)))]
            _ = try await store.joinDevices.recordJoins(attempts, at: Fixture.time(1))
            await store.close()

            let reopened = try await database.open()
            #expect(try await reopened.joinDevices.device(legacyDevice.devEUI) == legacyDevice)
            #expect(try await reopened.joinDevices.device(device.devEUI) == device)
            #expect(try await reopened.joinDevices.lastJoinNonce(device.devEUI) == JoinNonce(2))
            #expect(try await reopened.joinDevices.session(devEUI: device.devEUI, sessionKeyID: attempts[2].sessionKeyID)?.joinNonce == JoinNonce(2))
            let replay = [JoinFixture.legacy(1, 1234), JoinFixture.counting(2, 40), JoinFixture.attempt(2, .rjCount1(RJCount(9))), JoinFixture.counting(2, 41)]
            #expect(try await reopened.joinDevices.recordJoins(replay, at: Fixture.time(2)) == [
                .devNonceReused, .nonceNotIncreasing(last: 40), .nonceNotIncreasing(last: 9), JoinFixture.accepted(3),
            ])
            await reopened.close()
        }
    }

    @Test("two stores deciding the same DevNonces at once accept each exactly once", arguments: Backend.available)
    func concurrentStores(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            _ = try await store.joinDevices.insert(JoinFixture.device(1, version: .v1_0_2), audit: JoinFixture.event(.deviceCreated, device: 1))
            _ = try await store.joinDevices.insert(JoinFixture.device(2), audit: JoinFixture.event(.deviceCreated, device: 2))
            let other = try await database.open()
            let outcomes = try await withThrowingTaskGroup(of: [JoinAttemptOutcome].self) { group in
                for task in 0..<8 {
                    let repository = task % 2 == 0 ? store.joinDevices : other.joinDevices
                    group.addTask {
                        // Every task offers the same nonces, for both devices.
                        let batch = (1...20).flatMap { [JoinFixture.legacy(1, UInt16($0)), JoinFixture.counting(2, UInt16($0))] }
                        return try await repository.recordJoins(batch, at: Fixture.time(1))
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            await other.close()
            let accepted = outcomes.compactMap { if case .accepted(let nonce) = $0 { nonce.rawValue } else { nil } }
            // Device 1: each of the 20 random nonces once. Device 2: at least the first batch's 20; a
            // later batch can accept none (it offers the same, now stale, counters).
            #expect(accepted.count == 40)
            #expect(Set(accepted) == Set(1...20))
            #expect(try await store.joinDevices.lastJoinNonce(JoinFixture.devEUI(1)) == JoinNonce(20))
            #expect(try await store.joinDevices.lastJoinNonce(JoinFixture.devEUI(2)) == JoinNonce(20))
        }
    }
}
