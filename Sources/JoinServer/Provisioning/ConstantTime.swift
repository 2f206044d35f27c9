/// Comparison of secrets (hashes, codes) whose running time does not depend on where they differ.
public enum ConstantTime {
    /// `true` when both hold the same bytes. Time depends only on the lengths, which are not secret
    /// (a SHA-256 is always 32 bytes).
    public static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
