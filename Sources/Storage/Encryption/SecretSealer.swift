import Crypto
import Foundation

/// The stored value a sealed secret belongs to. Its encoding is the AES-GCM additional data, so a
/// ciphertext copied into another row (another CA's id, another column) fails authentication instead
/// of decrypting as that row's secret.
struct SecretBinding: Sendable {
    let table: String
    let column: String
    let row: String

    /// `gatehouse-secret-v1`, then table, column and row, each length-prefixed so no two bindings
    /// encode alike.
    var additionalData: [UInt8] {
        var data = Array("gatehouse-secret-v1".utf8)
        for field in [table, column, row] {
            let bytes = Array(field.utf8)
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: bytes)
        }
        return data
    }
}

/// A secret as stored: which key sealed it, and the box (`0x01`, 12-byte nonce, ciphertext, 16-byte tag).
struct SealedSecret: Sendable, Equatable {
    let keyID: String
    let box: [UInt8]
}

/// Seals and opens secrets with AES-256-GCM under the key-encryption key (DESIGN.md invariant 2).
///
/// Each seal draws a fresh random 96-bit nonce; under one key that is safe for far more than the
/// number of secrets Gatehouse stores (NIST SP 800-38D's 2^32 limit).
struct SecretSealer: Sendable {
    private static let formatVersion: UInt8 = 1
    private static let overhead = 1 + 12 + 16

    let key: KeyEncryptionKey

    func seal(_ plaintext: [UInt8], for binding: SecretBinding) throws -> SealedSecret {
        let box = try AES.GCM.seal(plaintext, using: key.symmetricKey, authenticating: binding.additionalData)
        guard let combined = box.combined else {
            throw StorageError.database("AES-GCM produced no combined box")
        }
        return SealedSecret(keyID: key.id, box: [Self.formatVersion] + combined)
    }

    /// - Throws: `.wrongKeyEncryptionKey` when another key sealed it, `.secretRejected` when the box does
    ///   not authenticate for this row, `.malformedRow` when it is not a box at all.
    func open(_ sealed: SealedSecret, for binding: SecretBinding) throws(StorageError) -> [UInt8] {
        guard sealed.keyID == key.id else {
            throw .wrongKeyEncryptionKey(configuredKeyID: key.id, databaseKeyIDs: [sealed.keyID])
        }
        guard sealed.box.count >= Self.overhead, sealed.box.first == Self.formatVersion else {
            throw .malformedRow(table: binding.table, column: binding.column, reason: "not a sealed secret")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.box.dropFirst())
            return try [UInt8](AES.GCM.open(box, using: key.symmetricKey, authenticating: binding.additionalData))
        } catch {
            throw .secretRejected(table: binding.table, row: binding.row)
        }
    }
}
