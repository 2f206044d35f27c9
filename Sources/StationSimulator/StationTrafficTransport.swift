/// What a `SimulatedStation` needs from its traffic connection: text frames out in order, messages in.
/// `StationWebSocket` is the real one (TLS to an LNS); tests put an LNS of their own behind it.
public protocol StationTrafficTransport: Sendable {
    /// Sends one text frame and returns once it is written.
    func send(text: String) async throws(StationConnectionError)
    /// The next message, or `nil` once the connection has closed.
    func receive() async throws(StationConnectionError) -> StationWebSocket.Message?
    /// Closes the connection.
    func disconnect() async
}

extension StationWebSocket: StationTrafficTransport {
    public func disconnect() async {
        await close()
    }
}
