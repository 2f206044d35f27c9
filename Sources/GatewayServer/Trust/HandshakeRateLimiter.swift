import NIOCore

/// A token bucket per remote address, so one address cannot make the listener spend its CPU on
/// TLS handshakes (key exchange, signature checks, a directory lookup each).
///
/// Pure: the caller passes the time, and decides what a refusal means (close the connection before
/// the handshake, report ``GatewayHandshakeRefusal/rateLimited``). The listener shares one limiter
/// between connections, so it holds it in a `Mutex`.
///
/// Memory is bounded: an address whose bucket has refilled is indistinguishable from a new one and
/// is dropped; when the table is full of active addresses (a flood from many addresses), the
/// least recently seen quarter is dropped, which costs those addresses only their remaining
/// penalty, never the listener its memory.
public struct HandshakeRateLimiter: Sendable {
    /// Handshakes an address may start at once.
    public let burst: Int
    /// Handshakes per second an address regains, up to `burst`.
    public let ratePerSecond: Double
    /// The most addresses tracked at once.
    public let maximumTrackedAddresses: Int

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private var buckets: [String: Bucket] = [:]

    /// A limit that cannot work, from configuration: refused with a sentence, never a crash.
    public struct InvalidConfiguration: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    /// Checks limits read from configuration, so a bad value is reported to the operator rather
    /// than quietly raised by ``init(burst:ratePerSecond:maximumTrackedAddresses:)``.
    /// - Throws: ``InvalidConfiguration`` unless `burst >= 1`, `ratePerSecond` is finite and
    ///   positive, and `maximumTrackedAddresses >= 4`.
    public static func validate(burst: Int, ratePerSecond: Double, maximumTrackedAddresses: Int = 16_384) throws(InvalidConfiguration) {
        guard burst >= 1 else { throw InvalidConfiguration(description: "the handshake burst must be at least 1, not \(burst)") }
        guard ratePerSecond.isFinite, ratePerSecond > 0 else {
            throw InvalidConfiguration(description: "the handshake rate must be a positive number per second, not \(ratePerSecond)")
        }
        guard maximumTrackedAddresses >= 4 else {
            throw InvalidConfiguration(description: "the rate limiter must track at least 4 addresses, not \(maximumTrackedAddresses)")
        }
    }

    /// A limiter allowing `burst` handshakes at once per address and `ratePerSecond` after that.
    /// Values that ``validate(burst:ratePerSecond:maximumTrackedAddresses:)`` refuses are raised to
    /// the least that works (burst 1, one handshake an hour, 4 addresses) rather than trapping.
    public init(burst: Int = 10, ratePerSecond: Double = 1, maximumTrackedAddresses: Int = 16_384) {
        self.burst = max(1, burst)
        self.ratePerSecond = ratePerSecond.isFinite && ratePerSecond > 0 ? ratePerSecond : 1.0 / 3600
        self.maximumTrackedAddresses = max(4, maximumTrackedAddresses)
    }

    /// How many addresses are tracked now.
    public var trackedAddressCount: Int { buckets.count }

    /// Takes a token for a handshake from `address` at `now`; `false` when its bucket is empty.
    public mutating func admit(_ address: String, at now: ContinuousClock.Instant) -> Bool {
        var bucket = buckets[address] ?? Bucket(tokens: Double(burst), updated: now)
        bucket.tokens = refilled(bucket, at: now)
        bucket.updated = max(bucket.updated, now)
        guard bucket.tokens >= 1 else {
            buckets[address] = bucket
            return false
        }
        bucket.tokens -= 1
        if buckets[address] == nil, buckets.count >= maximumTrackedAddresses { makeRoom(at: now) }
        buckets[address] = bucket
        return true
    }

    private func refilled(_ bucket: Bucket, at now: ContinuousClock.Instant) -> Double {
        guard now > bucket.updated else { return bucket.tokens }
        let elapsed = bucket.updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(Double(burst), bucket.tokens + seconds * ratePerSecond)
    }

    /// Drops every full bucket; if none was full, the least recently seen quarter.
    private mutating func makeRoom(at now: ContinuousClock.Instant) {
        let before = buckets.count
        buckets = buckets.filter { refilled($0.value, at: now) < Double(burst) }
        guard buckets.count == before else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(max(1, before / 4))
        for (address, _) in oldest { buckets[address] = nil }
    }

    /// The key to limit a peer by: its IP address without the port, and for IPv6 its /64 prefix,
    /// since one IPv6 host commonly holds a whole /64 (`2001:db8:0:1::/64`). `nil` for a peer without
    /// an IP address.
    public static func key(for address: SocketAddress) -> String? {
        switch address {
        case .v4:
            return address.ipAddress
        case .v6(let v6):
            // sockaddr_in6 (RFC 3493 §3.3): family (with sin6_len on BSDs) 2 bytes, port 2, flow info 4,
            // then the 16-byte address, on every platform NIO supports.
            let bytes = withUnsafeBytes(of: v6.address) { Array($0[8..<24]) }
            // An IPv4 peer on a dual-stack socket (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) is limited by its IPv4 address.
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                return bytes[12...].map(String.init).joined(separator: ".")
            }
            let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            return groups.joined(separator: ":") + "::/64"
        case .unixDomainSocket:
            return nil
        }
    }
}
