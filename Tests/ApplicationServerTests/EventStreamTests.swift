import ApplicationServer
import BackendInterfaces
import Foundation
import LoRaWAN
import Testing

@Suite("Event stream")
struct EventStreamTests {
    static func event(_ fCnt: UInt32, application: ApplicationID? = Fixtures.applicationID) -> ApplicationEvent {
        .error(ApplicationErrorEvent(
            applicationID: application, devEUI: Fixtures.devEUI, devAddr: nil, code: .replayDropped, detail: "\(fCnt)", time: Fixtures.t0))
    }

    @Test("a subscriber of one application gets its events only; a subscriber of all gets every event")
    func scopes() async {
        let stream = EventStream()
        let other = ApplicationID("other")!
        let mine = stream.subscribe(.application(Fixtures.applicationID))
        let all = stream.subscribe(.all)
        stream.publish(Self.event(1))
        stream.publish(Self.event(2, application: other))
        stream.publish(Self.event(3, application: nil))
        #expect(await mine.next() == .encoded(Self.event(1)))
        #expect(await all.next() == .encoded(Self.event(1)))
        #expect(await all.next() == .encoded(Self.event(2, application: other)))
        #expect(await all.next() == .encoded(Self.event(3, application: nil)))
        stream.publish(Self.event(4))
        #expect(await mine.next() == .encoded(Self.event(4)), "events of other applications were never buffered")
    }

    @Test("a slow subscriber loses its oldest events and reads a lag marker where they were")
    func lag() async {
        let stream = EventStream(bufferSize: 3)
        let slow = stream.subscribe(.all)
        for n in 1...5 { stream.publish(Self.event(UInt32(n))) }
        #expect(await slow.next() == .lagged(dropped: 2))
        #expect(await slow.next() == .encoded(Self.event(3)))
        #expect(await slow.next() == .encoded(Self.event(4)))
        stream.publish(Self.event(6))
        #expect(await slow.next() == .encoded(Self.event(5)))
        #expect(await slow.next() == .encoded(Self.event(6)), "no marker once it keeps up")
    }

    @Test("publishing never waits for a subscriber that does not read, and does not slow the others")
    func neverBlocks() async {
        let stream = EventStream(bufferSize: 8)
        let stuck = stream.subscribe(.all)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for n in 0..<20_000 { stream.publish(Self.event(UInt32(n))) }
        }
        #expect(elapsed < .seconds(5))
        #expect(await stuck.next() == .lagged(dropped: 20_000 - 8))
        let fresh = stream.subscribe(.all)
        stream.publish(Self.event(99))
        #expect(await fresh.next() == .encoded(Self.event(99)))
    }

    @Test("a waiting reader is woken by the next event")
    func wakesReader() async {
        let stream = EventStream()
        let subscription = stream.subscribe(.application(Fixtures.applicationID))
        let reader = Task { await subscription.next() }
        while stream.subscriberCount == 0 { await Task.yield() }
        try? await Task.sleep(for: .milliseconds(20))
        stream.publish(Self.event(7))
        #expect(await reader.value == .encoded(Self.event(7)))
    }

    @Test("cancelling ends the sequence and unsubscribes; so do task cancellation and release")
    func ending() async {
        let stream = EventStream()
        let subscription = stream.subscribe(.all)
        let reader = Task { () -> Int in
            var count = 0
            for await _ in subscription { count += 1 }
            return count
        }
        stream.publish(Self.event(1))
        subscription.cancel()
        #expect(await reader.value <= 1)
        #expect(stream.subscriberCount == 0)

        let second = stream.subscribe(.application(Fixtures.applicationID))
        let cancelled = Task { await second.next() }
        cancelled.cancel()
        #expect(await cancelled.value == nil)

        do {
            let released = stream.subscribe(.all)
            #expect(stream.subscriberCount == 2)
            _ = released
        }
        #expect(stream.subscriberCount == 1, "a released subscription unsubscribes")
        second.cancel()
        #expect(stream.subscriberCount == 0)
    }
}
