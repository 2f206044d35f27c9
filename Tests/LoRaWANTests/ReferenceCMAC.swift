import Crypto
import _CryptoExtras

/// swift-crypto's own AES-CMAC, an independent implementation to check ours against.
enum ReferenceCMAC {
    static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        do {
            var cmac = try AES.CMAC(key: SymmetricKey(data: key))
            cmac.update(data: message)
            return cmac.finalize().withUnsafeBytes { Array($0) }
        } catch {
            Issue.record("swift-crypto CMAC failed: \(error)")
            return []
        }
    }
}
import Testing
