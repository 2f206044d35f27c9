// A LoRa Basics Station as a client: CUPS and LNS over mutual TLS, for tests, `gatehouse simulate`
// and the benchmarks.
//
// The pieces, each in its own file:
// - `StationTLSCredentials`: what a station's `{cups,tc}.{trust,crt,key}` files hold, plus the TLS
//   versions and cipher suites it offers (TLS 1.2 only by default, like mbedTLS 2.28 in the station).
// - `StationConnectionFactory`: one `NIOSSLContext` and one event loop group for any number of
//   connections.
// - `CUPSClient`: one `POST /update-info` per connection (Basics Station protocol §2.1, §2.2).
// - `StationWebSocket`: an LNS websocket, `/router-info` or `/traffic/<EUI>` (§3.1, §3.2).
// - `StationConnectionError`, `StationCredentialsError`: every way these fail, each with a sentence.
//
// On top of the client, a gateway with devices (`gatehouse simulate`, `gatehouse demo`, tests, the load
// benchmark):
// - `VirtualDevice` (+ `+JoinAccept`, `+Uplink`, `+Downlink`, `+MACCommands`): a class A device of
//   LoRaWAN 1.0.2-1.1, pure, on `LoRaWAN`'s cryptography; `VirtualDeviceChannelPlan`, `DevNonceSequence`
//   and `VirtualDeviceSession` hold its channels, DevNonce rule and session.
// - `SimulatedStation` (+ `+Uplinks`, `+Downlinks`, `+Connect`): the traffic protocol over a
//   `StationTrafficTransport`; `StationMessageEncoding` writes `jreq`/`updf`/`dntxed`/`version` as
//   Basics Station 2.0.6 does, `StationRouterConfig` and `StationDownlinkOrder` read what the LNS sends.
// - `SimulationPlan`, `SimulationRunner`, `SimulationSummary`: N devices joined and sending at a rate;
//   `SimulationDeviceFile` reads the device list (root keys: a secret).
//
// Memory, for the benchmark that holds 10,000 LNS connections from one process:
// - No thread, task or `NIOAsyncChannel` per connection: every connection is a NIO channel on a shared
//   event loop group (`MultiThreadedEventLoopGroup.singleton` unless one is injected), and a waiting
//   `receive()` is a single suspended continuation.
// - One `NIOSSLContext` (trust store, certificate chain, key) is shared by every connection a factory
//   makes; a connection holds only its BoringSSL session, whose record buffers are released when idle.
// - The pipeline of an open websocket is TLS, frame decoder, frame encoder, protocol error handler and
//   `StationWebSocketFrameHandler`; the HTTP handlers and the TLS observer remove themselves after the
//   upgrade. Received messages wait in a small inbox; when it holds `WebSocketInbox.highWatermark`
//   messages the connection stops reading from its socket until `receive()` drains it, so a server
//   cannot grow a slow reader's memory.
// - Each connection is a file descriptor: raise `ulimit -n` above the number of connections.
