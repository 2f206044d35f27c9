import GatewayServer
import NIOCore
import Testing

@Suite("Handshake rate limiter")
struct HandshakeRateLimiterTests {
    let start = ContinuousClock.now

    /// Asks the limiter for one handshake from `address` at `seconds` after the start, for each
    /// entry; returns the answers.
    private func attempts(_ limiter: inout HandshakeRateLimiter, _ address: String, at seconds: [Double]) -> [Bool] {
        seconds.map { limiter.admit(address, at: start + .milliseconds(Int64($0 * 1000))) }
    }

    @Test("an address may start `burst` handshakes at once, and no more")
    func burst() {
        var limiter = HandshakeRateLimiter(burst: 3, ratePerSecond: 1)
        #expect(attempts(&limiter, "192.0.2.1", at: [0, 0, 0, 0]) == [true, true, true, false])
    }

    @Test("tokens come back at the configured rate, up to the burst")
    func refill() {
        var limiter = HandshakeRateLimiter(burst: 2, ratePerSecond: 0.5)
        #expect(attempts(&limiter, "192.0.2.1", at: [0, 0, 1, 3, 3]) == [true, true, false, true, false])
        // A long pause refills to the burst, not beyond.
        #expect(attempts(&limiter, "192.0.2.1", at: [1000, 1000, 1000]) == [true, true, false])
    }

    @Test("one address exhausting its bucket does not limit another")
    func independentAddresses() {
        var limiter = HandshakeRateLimiter(burst: 1, ratePerSecond: 1)
        #expect(attempts(&limiter, "192.0.2.1", at: [0, 0]) == [true, false])
        #expect(attempts(&limiter, "192.0.2.2", at: [0]) == [true])
    }

    @Test("a flood of distinct addresses never grows the table beyond its bound")
    func boundedMemory() {
        var limiter = HandshakeRateLimiter(burst: 5, ratePerSecond: 1, maximumTrackedAddresses: 64)
        var largest = 0
        for n in 0..<10_000 {
            _ = limiter.admit("10.\(n / 65_536).\(n / 256 % 256).\(n % 256)", at: start + .milliseconds(n))
            largest = max(largest, limiter.trackedAddressCount)
        }
        #expect(largest <= 64)
    }

    @Test("addresses whose buckets have refilled are forgotten first when room is needed")
    func idleEviction() {
        var limiter = HandshakeRateLimiter(burst: 1, ratePerSecond: 1, maximumTrackedAddresses: 4)
        for n in 0..<4 { #expect(attempts(&limiter, "192.0.2.\(n)", at: [0]) == [true]) }
        #expect(attempts(&limiter, "192.0.2.200", at: [10]) == [true])
        #expect(limiter.trackedAddressCount == 1)
    }

    @Test("new addresses do not reset a limited address while the table has room")
    func limitedAddressRemembered() {
        var limiter = HandshakeRateLimiter(burst: 1, ratePerSecond: 0.001, maximumTrackedAddresses: 100)
        #expect(attempts(&limiter, "192.0.2.1", at: [0]) == [true])
        for n in 0..<50 { _ = attempts(&limiter, "198.51.100.\(n)", at: [0]) }
        #expect(attempts(&limiter, "192.0.2.1", at: [1]) == [false])
    }

    @Test("a limit that cannot work is refused with a sentence", arguments: [(0, 1.0, 100), (1, 0.0, 100), (1, -1.0, 100), (1, Double.nan, 100), (1, 1.0, 2)])
    func invalidConfiguration(burst: Int, rate: Double, capacity: Int) {
        #expect(throws: HandshakeRateLimiter.InvalidConfiguration.self) {
            try HandshakeRateLimiter.validate(burst: burst, ratePerSecond: rate, maximumTrackedAddresses: capacity)
        }
        // Built anyway, the limiter still limits instead of trapping or admitting everything.
        var limiter = HandshakeRateLimiter(burst: burst, ratePerSecond: rate, maximumTrackedAddresses: capacity)
        #expect(attempts(&limiter, "192.0.2.1", at: [0, 0]) == [true, false])
    }

    @Test("peers are keyed by IPv4 address, IPv4-mapped IPv6 address, or IPv6 /64, never by port")
    func keys() throws {
        #expect(HandshakeRateLimiter.key(for: try SocketAddress(ipAddress: "192.0.2.7", port: 40_000)) == "192.0.2.7")
        #expect(HandshakeRateLimiter.key(for: try SocketAddress(ipAddress: "192.0.2.7", port: 40_001)) == "192.0.2.7")
        #expect(HandshakeRateLimiter.key(for: try SocketAddress(ipAddress: "::ffff:192.0.2.7", port: 1)) == "192.0.2.7")
        let a = HandshakeRateLimiter.key(for: try SocketAddress(ipAddress: "2001:db8:0:1::1", port: 1))
        let b = HandshakeRateLimiter.key(for: try SocketAddress(ipAddress: "2001:db8:0:1:ffff::2", port: 1))
        let c = HandshakeRateLimiter.key(for: try SocketAddress(ipAddress: "2001:db8:0:2::1", port: 1))
        #expect(a == "2001:db8:0:1::/64")
        #expect(a == b)
        #expect(a != c)
        #expect(HandshakeRateLimiter.key(for: try SocketAddress(unixDomainSocketPath: "/tmp/gatehouse.sock")) == nil)
    }
}
