import Foundation
import LoRaWAN

/// A LoRa Basics Station that carries virtual devices: it speaks the LNS traffic protocol
/// (basics-station-protocol §3.3, §3.4) over one connection — `version`, then `router_config` — and
/// turns its devices' frames into `jreq`/`updf` with radio metadata and a running `xtime`; every
/// `dnmsg` is "transmitted" (answered with `dntxed`) and its `pdu` handed to the device it addresses.
///
/// Use `connect(to:gatewayEUI:connections:)` for a real LNS (router-info discovery, then
/// `/traffic/<EUI>` over mutual TLS), or `init(eui:transport:)` with any transport in tests; then
/// `start()`, `add(_:)` devices, `join(_:timeout:)` and `sendUplink(_:fPort:payload:confirmed:)`.
/// Downlinks each device accepted come out of `downlinks(for:)`; `counters` says what happened.
///
/// Frames leave in the order they were made, through one writer task: a device's frame counters must
/// reach the server in order. Nothing is kept per frame once it is written.
public actor SimulatedStation {
    public nonisolated let eui: EUI64
    public nonisolated let options: SimulatedStationOptions
    let transport: any StationTrafficTransport

    /// One device and what the station knows about it.
    struct DeviceSlot {
        var device: VirtualDevice
        /// The device's latest frames, newest last: a class A downlink must carry the `xtime` of one of
        /// them. Real devices send again only after their receive windows; a load test may not wait, so
        /// the windows of several recent frames stay open.
        var recentUplinks: [RecentUplink] = []
        var joinWaiter: JoinWaiter?
        /// A join-accept that arrived before `join` started waiting for it.
        var joinOutcome: Result<JoinResult, SimulatedStationError>?
        /// Why the device refused the last join-accept of the pending join.
        var joinRefusal: VirtualDeviceError?
        var downlinks: AsyncStream<ReceivedDownlink>.Continuation?
    }

    /// A frame a device sent: when (`xtime`) and which data uplink (`nil` for a join-request).
    struct RecentUplink {
        let xtime: Int64
        let fCnt: UInt32?
    }

    struct JoinWaiter {
        let token: Int
        let continuation: CheckedContinuation<JoinResult, any Error>
    }

    /// A text frame for the writer task, and who waits for it to be written. A frame without text
    /// only marks a point in the queue (`flush()`).
    struct OutboundFrame: Sendable {
        let text: String?
        let written: CheckedContinuation<Void, any Error>?
    }

    var slots: [EUI64: DeviceSlot] = [:]
    var deviceOrder: [EUI64] = []
    public private(set) var routerConfig: StationRouterConfig?
    var routerConfigArrival: ContinuousClock.Instant?
    private var routerConfigWaiter: CheckedContinuation<StationRouterConfig, any Error>?
    var clock = StationRadioClock()
    public internal(set) var counters = SimulatedStationCounters()
    /// The first problems seen (refused frames, LNS errors), without key material, for reports.
    public private(set) var problems: [String] = []
    var outbox: AsyncStream<OutboundFrame>.Continuation?
    private var started = false
    /// Why the connection ended, once it has.
    public private(set) var ending: SimulatedStationError?
    var nextToken = 0

    static let problemLimit = 50
    static let recentUplinkLimit = 16

    public init(eui: EUI64, transport: any StationTrafficTransport, options: SimulatedStationOptions = SimulatedStationOptions()) {
        self.eui = eui
        self.transport = transport
        self.options = options
    }

    // MARK: Start and stop

    /// Sends `version` and waits for the LNS's `router_config`; from then on the station receives
    /// downlinks and its devices may transmit. Returns what the station took from `router_config`.
    @discardableResult
    public func start() async throws(SimulatedStationError) -> StationRouterConfig {
        guard !started else {
            if let routerConfig { return routerConfig }
            throw ending ?? .notStarted
        }
        started = true
        startWriter()
        startReader()
        try await write(StationMessageEncoding.version(station: options.stationVersion, model: options.model))
        if let routerConfig { return routerConfig }
        if let ending { throw ending }
        let timer = Task { [weak self, timeout = options.routerConfigTimeout] in
            try? await Task.sleep(for: timeout)
            await self?.routerConfigTimedOut()
        }
        defer { timer.cancel() }
        do {
            return try await withCheckedThrowingContinuation { routerConfigWaiter = $0 }
        } catch let error as SimulatedStationError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// Closes the connection. Frames already queued are still attempted; joins waiting fail.
    public func close() async {
        outbox?.finish()
        await transport.disconnect()
        connectionEnded(.connection(.notConnected))
    }

    private func startWriter() {
        let (frames, continuation) = AsyncStream.makeStream(of: OutboundFrame.self)
        outbox = continuation
        let transport = transport
        Task { [weak self] in
            for await frame in frames {
                do throws(StationConnectionError) {
                    if let text = frame.text { try await transport.send(text: text) }
                    frame.written?.resume()
                } catch {
                    frame.written?.resume(throwing: SimulatedStationError.connection(error))
                    await self?.connectionEnded(.connection(error))
                }
            }
        }
    }

    private func startReader() {
        let transport = transport
        Task { [weak self] in
            do throws(StationConnectionError) {
                while let message = try await transport.receive() {
                    guard case .text(let text) = message else { continue }
                    guard let self else { return }
                    await self.handle(text)
                }
                await self?.connectionEnded(.connection(.connectionClosed))
            } catch {
                await self?.connectionEnded(.connection(error))
            }
        }
    }

    /// Returns once every frame queued so far (including `dntxed` reports) is written.
    public func flush() async throws(SimulatedStationError) {
        try await write(nil)
    }

    /// Queues `text` and returns once it is written.
    func write(_ text: String?) async throws(SimulatedStationError) {
        if let ending { throw ending }
        guard let outbox else { throw .notStarted }
        do {
            try await withCheckedThrowingContinuation { (written: CheckedContinuation<Void, any Error>) in
                if case .terminated = outbox.yield(OutboundFrame(text: text, written: written)) {
                    written.resume(throwing: SimulatedStationError.connection(.notConnected))
                }
            }
        } catch let error as SimulatedStationError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// Queues `text` without waiting (transmission reports, sent from the receive path).
    func enqueue(_ text: String) {
        outbox?.yield(OutboundFrame(text: text, written: nil))
    }

    /// The connection is over: whoever waits is told why, and downlink streams end.
    func connectionEnded(_ reason: SimulatedStationError) {
        guard ending == nil else { return }
        ending = reason
        outbox?.finish()
        routerConfigWaiter?.resume(throwing: reason)
        routerConfigWaiter = nil
        for devEUI in deviceOrder {
            slots[devEUI]?.joinWaiter?.continuation.resume(throwing: reason)
            slots[devEUI]?.joinWaiter = nil
            slots[devEUI]?.downlinks?.finish()
            slots[devEUI]?.downlinks = nil
        }
    }

    private func routerConfigTimedOut() {
        guard routerConfig == nil, let waiter = routerConfigWaiter else { return }
        routerConfigWaiter = nil
        waiter.resume(throwing: SimulatedStationError.routerConfigTimedOut)
    }

    /// `router_config`: checked as the station checks it; a refused one closes the connection.
    func receivedRouterConfig(_ text: String) async {
        let config: StationRouterConfig
        do {
            config = try StationRouterConfig(decoding: text)
        } catch {
            record("router_config refused: \(error)")
            connectionEnded(error)
            await transport.disconnect()
            return
        }
        routerConfig = config
        routerConfigArrival = .now
        for devEUI in deviceOrder { slots[devEUI]?.device.restrictChannels(toFrequencies: config.audibleFrequencies) }
        routerConfigWaiter?.resume(returning: config)
        routerConfigWaiter = nil
    }

    func record(_ problem: String) {
        if problems.count < Self.problemLimit { problems.append(problem) }
    }

    // MARK: Devices

    /// Puts a device on the station. Once the `router_config` is known, the device transmits only on
    /// channels the gateway hears.
    public func add(_ device: VirtualDevice) throws(SimulatedStationError) {
        guard slots[device.devEUI] == nil else { throw .duplicateDevice(device.devEUI) }
        var device = device
        if let routerConfig { device.restrictChannels(toFrequencies: routerConfig.audibleFrequencies) }
        slots[device.devEUI] = DeviceSlot(device: device)
        deviceOrder.append(device.devEUI)
    }

    /// The device's current state (a copy).
    public func device(_ devEUI: EUI64) -> VirtualDevice? { slots[devEUI]?.device }

    /// The DevEUIs of the station's devices, in the order they were added.
    public var deviceEUIs: [EUI64] { deviceOrder }

    /// The downlinks `devEUI` accepts from now on. A second call replaces the first stream (which ends).
    /// The newest 256 wait if nobody reads them.
    public func downlinks(for devEUI: EUI64) -> AsyncStream<ReceivedDownlink> {
        let (stream, continuation) = AsyncStream.makeStream(of: ReceivedDownlink.self, bufferingPolicy: .bufferingNewest(256))
        guard slots[devEUI] != nil, ending == nil else {
            continuation.finish()
            return stream
        }
        slots[devEUI]?.downlinks?.finish()
        slots[devEUI]?.downlinks = continuation
        return stream
    }
}
