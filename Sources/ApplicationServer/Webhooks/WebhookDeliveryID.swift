import Foundation

/// New ids for webhook deliveries: random version 4 UUIDs (RFC 9562 §5.4) drawn from
/// `SystemRandomNumberGenerator`.
///
/// An id is the outbox row's key and the receiver's `X-Gatehouse-Delivery`, so it only has to be
/// unique, across processes and restarts, and say nothing else. 122 random bits are unique (a collision
/// among a trillion ids has odds below 10⁻¹³).
///
/// Why not `UUID()`: on Linux, Foundation's `UUID()` opens, reads and closes `/dev/urandom` for every
/// id (three system calls and a file descriptor), at thousands of deliveries a second.
/// `SystemRandomNumberGenerator` asks the kernel with `getrandom(2)`: one call per 64 bits, no file,
/// no lock.
///
/// Why not a per-process random prefix and a counter, which would need no system call: receivers see
/// the ids, and consecutive counters would tell one application's receiver how many deliveries this
/// server made to every other application in between.
enum WebhookDeliveryID {
    static func next() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            raw.storeBytes(of: generator.next() as UInt64, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: generator.next() as UInt64, toByteOffset: 8, as: UInt64.self)
            // Version 4 in the high nibble of octet 6, variant 0b10 in the top bits of octet 8.
            raw[6] = (raw[6] & 0x0F) | 0x40
            raw[8] = (raw[8] & 0x3F) | 0x80
        }
        return UUID(uuid: bytes)
    }
}
