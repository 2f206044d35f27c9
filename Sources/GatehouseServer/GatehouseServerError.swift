/// Why a prepared server could not start serving.
public enum GatehouseServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The listener could not bind: the port is taken, the address is not this machine's, or the
    /// port is privileged; `reason` is the operating system's explanation.
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let reason):
            "Cannot listen on \(host) port \(port): \(reason). Choose another address with --bind or another port with --api-port."
        }
    }
}
