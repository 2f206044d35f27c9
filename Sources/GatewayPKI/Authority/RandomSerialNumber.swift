import X509

/// Serial numbers for every certificate Gatehouse signs.
///
/// RFC 5280 §4.1.2.2: a positive INTEGER of at most 20 octets, unique per CA. CA/Browser Forum
/// Baseline Requirements §7.1: at least 64 bits from a CSPRNG, so a colliding certificate cannot be
/// prepared in advance. We draw 20 octets, clear the top bit (the INTEGER is positive without a
/// leading zero octet) and set the next one (it never shortens below 20 octets): 158 random bits,
/// and every serial has the same length.
enum RandomSerialNumber {
    static let octetCount = 20

    static func make(using generator: inout some RandomNumberGenerator) -> Certificate.SerialNumber {
        var octets = [UInt8]()
        octets.reserveCapacity(octetCount + 7)
        while octets.count < octetCount {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) { octets.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        octets.removeLast(octets.count - octetCount)
        octets[0] = (octets[0] & 0x7F) | 0x40
        return Certificate.SerialNumber(bytes: octets)
    }
}
