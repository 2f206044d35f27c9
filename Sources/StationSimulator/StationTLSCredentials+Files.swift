import Foundation

extension StationTLSCredentials {
    /// Credentials from a station's files, `{cat}.trust`, `{cat}.crt` and `{cat}.key`, each PEM or DER.
    /// A missing path or an empty file counts as absent, as it does for the station: trust only means
    /// the station authenticates the server but not itself.
    public init(trustFile: String, certificateFile: String? = nil, keyFile: String? = nil) throws(StationCredentialsError) {
        try self.init(
            trustRootsBytes: try Self.contents(ofFile: trustFile),
            certificateChainBytes: try certificateFile.map { path throws(StationCredentialsError) in try Self.contents(ofFile: path) },
            privateKeyBytes: try keyFile.map { path throws(StationCredentialsError) in try Self.contents(ofFile: path) }
        )
    }

    private static func contents(ofFile path: String) throws(StationCredentialsError) -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
    }
}
