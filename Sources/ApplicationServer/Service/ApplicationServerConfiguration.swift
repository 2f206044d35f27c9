import BackendInterfaces

/// How the Application Server talks to the Join Server.
public struct ApplicationServerConfiguration: Sendable, Equatable {
    /// The Backend Interfaces version of `AppSKeyReq`s (ChirpStack's Join Server speaks only 1.0).
    public var backendProtocolVersion: BackendProtocolVersion
    /// Whether an AppSKey sent without wrapping is accepted (logged as a warning each time). Off: a
    /// key in clear is refused like one under an unknown KEK.
    public var acceptsPlainAppSKeys: Bool

    public init(backendProtocolVersion: BackendProtocolVersion = .v1_0, acceptsPlainAppSKeys: Bool = false) {
        self.backendProtocolVersion = backendProtocolVersion
        self.acceptsPlainAppSKeys = acceptsPlainAppSKeys
    }
}
