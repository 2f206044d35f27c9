import ReferenceVectors
import LoRaWAN
import NetworkServer
import Testing

@Suite("Uplink frame counter")
struct FrameCounterCheckTests {
    let check = FrameCounterCheck()

    @Test("rebuilds the 32-bit counter as the published last_seen vectors do")
    func lastSeenVectors() throws {
        let file = try VectorFile.load("fcnt_reconstruct")
        let vectors = try file.vectors.filter { try $0.string("semantics") == "last_seen" }
        #expect(vectors.count == 11)
        for vector in vectors {
            let reference = UInt32(try vector.int("reference"))
            let fCnt16 = UInt16(try vector.int("fcnt16"))
            let expected = UInt32(try vector.expectedInt("fcnt"))
            #expect(check.reconstruct(fCnt16: fCnt16, lastAccepted: reference) == expected, "\(vector.id)")
            // The decision agrees: a counter above the reference is new, equal is not.
            let decision = FrameCounterCheck(maxGap: nil).evaluate(
                fCnt16: fCnt16, confirmed: false, lastAccepted: reference, lastConfirmed: nil)
            #expect(decision == (expected > reference ? .new(expected) : .replay(expected)), "\(vector.id)")
        }
    }

    @Test("a frame whose counter advances is new")
    func advancing() {
        #expect(check.evaluate(fCnt16: 11, confirmed: false, lastAccepted: 10, lastConfirmed: nil) == .new(11))
        #expect(check.evaluate(fCnt16: 0, confirmed: true, lastAccepted: nil, lastConfirmed: nil) == .new(0))
        #expect(check.evaluate(fCnt16: 2, confirmed: false, lastAccepted: 0x0001_FFFE, lastConfirmed: nil) == .new(0x0002_0002))
    }

    @Test("a frame whose counter does not advance is dropped as a replay")
    func notAdvancing() {
        #expect(check.evaluate(fCnt16: 10, confirmed: false, lastAccepted: 10, lastConfirmed: nil) == .replay(10))
        #expect(!check.evaluate(fCnt16: 10, confirmed: false, lastAccepted: 10, lastConfirmed: nil).isAccepted)
        // Equal to the last, which was confirmed, but this copy is unconfirmed: not a retransmission.
        #expect(check.evaluate(fCnt16: 10, confirmed: false, lastAccepted: 10, lastConfirmed: 10) == .replay(10))
        // Confirmed, equal to the last accepted, but the last accepted one was unconfirmed.
        #expect(check.evaluate(fCnt16: 10, confirmed: true, lastAccepted: 10, lastConfirmed: nil) == .replay(10))
        // An older confirmed frame is a replay, not a retransmission.
        #expect(check.evaluate(fCnt: 9, confirmed: true, lastAccepted: 10, lastConfirmed: 10) == .replay(9))
    }

    @Test("the retransmission of the last confirmed uplink is recognised, and delivers nothing new")
    func retransmission() {
        let decision = check.evaluate(fCnt16: 10, confirmed: true, lastAccepted: 10, lastConfirmed: 10)
        #expect(decision == .retransmission(10))
        #expect(decision.isAccepted)
        #expect(decision.fCnt == 10)
    }

    @Test("a jump beyond MAX_FCNT_GAP is refused, a jump of exactly MAX_FCNT_GAP is not")
    func gap() {
        let last: UInt32 = 100
        #expect(check.evaluate(fCnt: last + 16384, confirmed: false, lastAccepted: last, lastConfirmed: nil) == .new(last + 16384))
        #expect(check.evaluate(fCnt: last + 16385, confirmed: false, lastAccepted: last, lastConfirmed: nil)
            == .gapTooLarge(last + 16385, gap: 16385))
        #expect(check.evaluate(fCnt16: 16384, confirmed: false, lastAccepted: nil, lastConfirmed: nil)
            == .gapTooLarge(16384, gap: 16385))
        #expect(FrameCounterCheck(maxGap: nil).evaluate(fCnt: 1 << 20, confirmed: false, lastAccepted: 0, lastConfirmed: nil)
            == .new(1 << 20))
    }

    @Test("a counter that would wrap past 2^32 never comes round again: the session is exhausted")
    func exhausted() {
        let last = UInt32.max - 1
        #expect(check.evaluate(fCnt16: 0xFFFF, confirmed: false, lastAccepted: last, lastConfirmed: nil) == .new(.max))
        #expect(check.evaluate(fCnt16: 0, confirmed: false, lastAccepted: .max, lastConfirmed: nil) == .replay(0))
        #expect(check.evaluate(fCnt16: 5, confirmed: false, lastAccepted: last, lastConfirmed: nil) == .replay(5))
    }

    @Test("the session's FCntUp and last confirmed uplink are the references")
    func sessionReferences() throws {
        var session = try Fixture.session(fCntUp: 41)
        session.lastConfirmedUplinkFCnt = 41
        #expect(check.evaluate(fCnt16: 41, confirmed: true, session: session) == .retransmission(41))
        #expect(check.evaluate(fCnt16: 42, confirmed: true, session: session) == .new(42))
    }

    @Test("decisions that are not processed carry a drop reason with a fixed metric label")
    func dropReasons() {
        #expect(UplinkDropReason(.new(1)) == nil)
        #expect(UplinkDropReason(.retransmission(1)) == nil)
        #expect(UplinkDropReason(.replay(7)) == .replay(fCnt: 7))
        #expect(UplinkDropReason(.replay(7))?.metricLabel == "replay")
        #expect(UplinkDropReason(.gapTooLarge(70_000, gap: 20_000))?.metricLabel == "fcnt_gap_too_large")
        #expect(UplinkDropReason.micFailed(candidates: 2).description.contains("2 session"))
    }
}
