import BackendInterfaces
import LoRaWAN

/// Where and when a device listens after an uplink, and the gateway downlinks that use it
/// (LoRaWAN 1.1 §3.3, RP002-1.0.3 §2.x.7).
///
/// - RX1 opens RECEIVE_DELAY1 (the session's RxDelay, 1-15 s) after the uplink, at the region's RX1
///   data rate for the uplink's data rate and the session's RX1DROffset, on the uplink frequency
///   (EU868, AS923; or a DlChannelReq frequency) or on the fixed-plan downlink channel (US915, AU915).
/// - RX2 opens one second later at the session's RX2 data rate and frequency.
/// - Join-accepts use JOIN_ACCEPT_DELAY1 (5 s) and the region's default RX1DROffset and RX2, because
///   the device has no session settings yet.
/// - Class C downlinks go out in RX2 parameters as soon as possible.
///
/// A window whose data rate cannot carry the frame is left out; a frame no window can carry is refused.
public enum ReceiveWindowPlanner {
    /// The two class A windows after an uplink.
    public struct Windows: Sendable, Hashable {
        public var rx1: GatewayDownlink.Window
        public var rx2: GatewayDownlink.Window
        /// Seconds from the end of the uplink to RX1.
        public var rxDelay: UInt8

        public init(rx1: GatewayDownlink.Window, rx2: GatewayDownlink.Window, rxDelay: UInt8) {
            self.rx1 = rx1
            self.rx2 = rx2
            self.rxDelay = rxDelay
        }
    }

    /// The class A windows of `session` after an uplink received with `uplink`.
    public static func windows(for session: NetworkSession, uplink: UplinkRadioMetadata) throws(DownlinkFrameError) -> Windows {
        let settings = session.macSettings
        let rx1 = try rx1Window(region: session.regionalParameters, uplink: uplink, offset: settings.rx1DROffset.rawValue,
                                dwellTime: settings.downlinkDwellTime, settings: settings)
        return Windows(rx1: rx1, rx2: GatewayDownlink.Window(dataRate: settings.rx2DataRate, frequency: settings.rx2Frequency),
                       rxDelay: UInt8(settings.rx1Delay.seconds))
    }

    /// A class A answer to `uplink` through the gateway that received it with that metadata.
    public static func classA(
        phyPayload: [UInt8], session: NetworkSession, answering uplink: UplinkRadioMetadata, diid: Int64, priority: UInt8 = 0
    ) throws(DownlinkFrameError) -> GatewayDownlink {
        let windows = try windows(for: session, uplink: uplink)
        let (rx1, rx2) = try fitting(phyPayload.count, rx1: windows.rx1, rx2: windows.rx2, session: session)
        return .classA(devEUI: session.devEUI, phyPayload: phyPayload, rxDelay: windows.rxDelay, rx1: rx1, rx2: rx2,
                       answering: uplink, diid: diid, priority: priority)
    }

    /// A class C downlink in the session's RX2 parameters.
    public static func classC(
        phyPayload: [UInt8], session: NetworkSession, diid: Int64, priority: UInt8 = 0
    ) throws(DownlinkFrameError) -> GatewayDownlink {
        let rx2 = GatewayDownlink.Window(dataRate: session.macSettings.rx2DataRate, frequency: session.macSettings.rx2Frequency)
        try DownlinkFrameBuilder.checkLength(phyPayload.count, dataRate: rx2.dataRate, session: session)
        return .classC(devEUI: session.devEUI, phyPayload: phyPayload, rx2: rx2, diid: diid, priority: priority)
    }

    /// A join-accept in JOIN_ACCEPT_DELAY1 / JOIN_ACCEPT_DELAY2 with the region's defaults
    /// (RP002-1.0.3 §2.3, §2.x.7). A join-accept is 17 or 33 bytes, which every downlink data rate carries.
    public static func joinAccept(
        phyPayload: [UInt8], devEUI: EUI64, region: Region, answering uplink: UplinkRadioMetadata, diid: Int64,
        priority: UInt8 = 0
    ) throws(DownlinkFrameError) -> GatewayDownlink {
        let parameters = region.parameters
        let rx1 = try rx1Window(region: parameters, uplink: uplink, offset: RegionalDefaultSettings.rx1DataRateOffset,
                                dwellTime: .unlimited, settings: nil)
        let rx2 = GatewayDownlink.Window(dataRate: parameters.rx2.dataRate, frequency: parameters.rx2.frequency)
        return .classA(devEUI: devEUI, phyPayload: phyPayload, rxDelay: joinAcceptDelay1Seconds, rx1: rx1, rx2: rx2,
                       answering: uplink, diid: diid, priority: priority)
    }

    /// JOIN_ACCEPT_DELAY1 in whole seconds, as `GatewayDownlink.rxDelay` carries it.
    public static let joinAcceptDelay1Seconds = UInt8(RegionalDefaultSettings.joinAcceptDelay1.components.seconds)

    private static func rx1Window(
        region: RegionalParameters, uplink: UplinkRadioMetadata, offset: UInt8, dwellTime: DwellTimeLimit,
        settings: MACSettings?
    ) throws(DownlinkFrameError) -> GatewayDownlink.Window {
        do {
            let dataRate = try region.rx1DataRate(uplink: uplink.dataRate, offset: offset, dwellTime: dwellTime)
            // LoRaWAN 1.1 §5.7 DlChannelReq: RX1 of that uplink channel moved to another frequency.
            if let settings, let channel = settings.uplinkChannelIndex(for: uplink.frequency),
               let moved = settings.downlinkFrequencies[channel] {
                return GatewayDownlink.Window(dataRate: dataRate, frequency: moved)
            }
            return GatewayDownlink.Window(dataRate: dataRate, frequency: try region.rx1Frequency(uplinkFrequency: uplink.frequency))
        } catch {
            throw .regional(error)
        }
    }

    /// The windows that can carry `length` bytes; at least one, else the error of the roomier window.
    private static func fitting(
        _ length: Int, rx1: GatewayDownlink.Window, rx2: GatewayDownlink.Window, session: NetworkSession
    ) throws(DownlinkFrameError) -> (GatewayDownlink.Window?, GatewayDownlink.Window?) {
        let rx1Error = check(length, rx1.dataRate, session)
        let rx2Error = check(length, rx2.dataRate, session)
        switch (rx1Error, rx2Error) {
        case (nil, nil): return (rx1, rx2)
        case (nil, _): return (rx1, nil)
        case (_, nil): return (nil, rx2)
        case (let first?, let second?):
            if case .tooLongForDataRate(_, let a, _) = first, case .tooLongForDataRate(_, let b, _) = second, b > a { throw second }
            throw first
        }
    }

    private static func check(_ length: Int, _ dataRate: DataRateIndex, _ session: NetworkSession) -> DownlinkFrameError? {
        do {
            try DownlinkFrameBuilder.checkLength(length, dataRate: dataRate, session: session)
            return nil
        } catch {
            return error
        }
    }
}
