extension BasicsStationBundle {
    /// One file of a bundle, as it goes into the tar archive or a folder on the gateway.
    ///
    /// Prints its name, mode and size only: `cups.key` and `tc.key` hold the gateway's private key.
    public struct File: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        /// `cups.trust`, `tc.key`, `cups.uri`, ...
        public let name: String
        public let contents: [UInt8]
        /// POSIX permission bits: 0o600 for private keys, 0o644 otherwise.
        public let mode: UInt16

        /// Permission bits of a file holding a private key: owner read and write only.
        public static let secretMode: UInt16 = 0o600
        /// Permission bits of every other file.
        public static let publicMode: UInt16 = 0o644

        init(name: String, contents: [UInt8], secret: Bool) {
            self.name = name
            self.contents = contents
            self.mode = secret ? Self.secretMode : Self.publicMode
        }

        /// Whether the file holds a private key.
        public var isSecret: Bool { mode == Self.secretMode }

        public var description: String { "\(name) (\(String(mode, radix: 8)), \(contents.count) bytes)" }
        public var debugDescription: String { description }
        public var customMirror: Mirror {
            Mirror(self, children: ["name": name, "mode": String(mode, radix: 8), "size": contents.count], displayStyle: .struct)
        }
    }
}
