import Foundation
import Logging
import SwiftASN1
import X509

/// Keeps the development certificate in the data directory: `<data>/tls/server.crt` and `server.key`.
///
/// The first start creates both; every later start loads them, so clients that were told to trust
/// the certificate keep trusting it. The folder is created with mode 0700 and the key with 0600,
/// at creation rather than afterwards, and the key is written before the certificate, so a
/// certificate on disk always has its key beside it.
struct DevelopmentIdentityStore {
    /// The folder that holds the certificate and key.
    let directory: String
    /// The certificate clients should trust.
    let certificatePath: String
    /// The private key; readable by the owner only.
    let privateKeyPath: String

    /// Mode of the `tls` folder: owner only.
    static let directoryPermissions: mode_t = 0o700
    /// Mode of the private key file: owner read and write only.
    static let privateKeyPermissions: mode_t = 0o600
    /// Mode of the certificate file, which is public.
    static let certificatePermissions: mode_t = 0o644

    /// - Parameter dataDirectory: Gatehouse's data directory; relative paths are resolved against
    ///   the working directory so that log lines show where the files really are.
    init(dataDirectory: String) {
        let tls = URL(fileURLWithPath: dataDirectory, isDirectory: true).standardizedFileURL
            .appendingPathComponent("tls", isDirectory: true)
        directory = tls.path
        certificatePath = tls.appendingPathComponent("server.crt").path
        privateKeyPath = tls.appendingPathComponent("server.key").path
    }

    /// Loads the stored development identity, creating it first if the data directory has none.
    ///
    /// - Parameters:
    ///   - hostName: The machine's host name, for the certificate's subject alternative names.
    ///   - now: The current time, for the validity period and the expiry check.
    ///   - logger: Receives a notice when a certificate is created, a warning when one has expired.
    func loadOrCreate(hostName: String?, now: Date, logger: Logger) throws(TLSIdentityError) -> TLSIdentity {
        switch (LocalFile.exists(certificatePath), LocalFile.exists(privateKeyPath)) {
        case (true, true):
            let identity = try TLSIdentity.load(certificatePath: certificatePath, privateKeyPath: privateKeyPath)
            warnIfUnsafe(identity, now: now, logger: logger)
            return identity
        case (false, false):
            let identity = try DevelopmentCertificate.issue(
                hostName: hostName,
                now: now,
                certificatePath: certificatePath,
                privateKeyPath: privateKeyPath
            )
            try store(identity)
            logger.notice(
                "Created a development TLS certificate; clients must trust it, or give your own with --tls-cert and --tls-key",
                metadata: ["certificate": "\(certificatePath)", "private_key": "\(privateKeyPath)"]
            )
            return identity
        case (true, false):
            throw .incompleteDevelopmentIdentity(existing: certificatePath, missing: privateKeyPath)
        case (false, true):
            throw .incompleteDevelopmentIdentity(existing: privateKeyPath, missing: certificatePath)
        }
    }

    private func store(_ identity: TLSIdentity) throws(TLSIdentityError) {
        let keyPEM: String
        let certificatePEM: String
        do {
            keyPEM = try identity.privateKey.serializeAsPEM().pemString
            certificatePEM = try identity.certificate.serializeAsPEM().pemString
        } catch {
            throw .cannotIssueDevelopmentCertificate(reason: "its PEM encoding failed")
        }
        do {
            try LocalFile.makeDirectory(directory, permissions: Self.directoryPermissions)
            try LocalFile.writeAtomically(Array((keyPEM + "\n").utf8), to: privateKeyPath, permissions: Self.privateKeyPermissions)
            try LocalFile.writeAtomically(
                Array((certificatePEM + "\n").utf8),
                to: certificatePath,
                permissions: Self.certificatePermissions
            )
        } catch {
            throw .cannotStore(path: error.path, reason: error.reason)
        }
    }

    private func warnIfUnsafe(_ identity: TLSIdentity, now: Date, logger: Logger) {
        if let permissions = try? LocalFile.permissions(of: privateKeyPath), permissions & 0o077 != 0 {
            logger.warning(
                "The development TLS private key is readable by other users; run chmod 600 on it",
                metadata: ["private_key": "\(privateKeyPath)", "mode": "\(String(permissions, radix: 8))"]
            )
        }
        if identity.certificate.notValidAfter < now {
            logger.warning(
                "The development TLS certificate has expired; delete both files to have a new one created",
                metadata: ["certificate": "\(certificatePath)", "expired": "\(identity.certificate.notValidAfter)"]
            )
        }
    }
}
