import LoRaWAN

/// A frame the Network Server asks one gateway to transmit, with everything the gateway needs to time
/// it. The fields mirror what a LoRa Basics Station `dnmsg` carries (basics-station-protocol §3.4).
///
/// Which fields matter depends on ``deviceClass``:
/// - class A answers an uplink: ``uplinkXTime`` and ``uplinkRCtx`` are that uplink's, and the station
///   transmits ``rxDelay`` seconds after it in ``rx1``, or one second later in ``rx2`` when RX1 is
///   missing, too close or blocked;
/// - class B transmits in a ping slot at ``gpsTime`` on the ``rx1`` window's data rate and frequency;
/// - class C transmits as soon as possible in ``rx2``.
///
/// ``classA(devEUI:phyPayload:rxDelay:rx1:rx2:answering:diid:priority:)`` and
/// ``classC(devEUI:phyPayload:rx2:diid:priority:)`` build the common cases correctly.
public struct GatewayDownlink: Sendable, Equatable {
    /// The LoRaWAN device class whose receive window the downlink uses.
    public enum DeviceClass: UInt8, Sendable, Hashable, CustomStringConvertible {
        case a = 0, b = 1, c = 2

        public var description: String {
            switch self {
            case .a: "class A"
            case .b: "class B"
            case .c: "class C"
            }
        }
    }

    /// A receive window's data rate and frequency.
    public struct Window: Sendable, Hashable {
        public var dataRate: DataRateIndex
        public var frequency: Frequency

        public init(dataRate: DataRateIndex, frequency: Frequency) {
            self.dataRate = dataRate
            self.frequency = frequency
        }
    }

    /// The device addressed; `nil` for a multicast downlink (the gateway then reports no transmission).
    public var devEUI: EUI64?
    /// The complete frame, MHDR through MIC.
    public var phyPayload: [UInt8]
    public var deviceClass: DeviceClass
    /// Class A: seconds from the end of the uplink to RX1 (1...15; join-accepts use 5).
    public var rxDelay: UInt8
    public var rx1: Window?
    public var rx2: Window?
    /// Class A: the `xtime` of the uplink being answered (``UplinkRadioMetadata/xtime``).
    public var uplinkXTime: Int64?
    /// Class A: the `rctx` of the uplink being answered (``UplinkRadioMetadata/rctx``).
    public var uplinkRCtx: Int64?
    /// Class B: the ping slot's start in µs since the GPS epoch.
    public var gpsTime: Int64?
    /// An id the Network Server chooses; the gateway's ``GatewayDownlinkTransmitted`` carries it back.
    public var diid: Int64
    /// 0...255; when two downlinks collide the gateway keeps the one with the higher priority.
    public var priority: UInt8

    public init(
        devEUI: EUI64?, phyPayload: [UInt8], deviceClass: DeviceClass, rxDelay: UInt8, rx1: Window?, rx2: Window?,
        uplinkXTime: Int64?, uplinkRCtx: Int64?, gpsTime: Int64? = nil, diid: Int64, priority: UInt8 = 0
    ) {
        self.devEUI = devEUI
        self.phyPayload = phyPayload
        self.deviceClass = deviceClass
        self.rxDelay = rxDelay
        self.rx1 = rx1
        self.rx2 = rx2
        self.uplinkXTime = uplinkXTime
        self.uplinkRCtx = uplinkRCtx
        self.gpsTime = gpsTime
        self.diid = diid
        self.priority = priority
    }

    /// A class A answer to `uplink`: RX1 and/or RX2 after `rxDelay` seconds.
    public static func classA(
        devEUI: EUI64?, phyPayload: [UInt8], rxDelay: UInt8, rx1: Window?, rx2: Window?,
        answering uplink: UplinkRadioMetadata, diid: Int64, priority: UInt8 = 0
    ) -> GatewayDownlink {
        GatewayDownlink(
            devEUI: devEUI, phyPayload: phyPayload, deviceClass: .a, rxDelay: rxDelay, rx1: rx1, rx2: rx2,
            uplinkXTime: uplink.xtime, uplinkRCtx: uplink.rctx, diid: diid, priority: priority)
    }

    /// A class C downlink, sent as soon as possible in RX2.
    public static func classC(
        devEUI: EUI64?, phyPayload: [UInt8], rx2: Window, diid: Int64, priority: UInt8 = 0
    ) -> GatewayDownlink {
        GatewayDownlink(
            devEUI: devEUI, phyPayload: phyPayload, deviceClass: .c, rxDelay: 1, rx1: nil, rx2: rx2,
            uplinkXTime: nil, uplinkRCtx: nil, diid: diid, priority: priority)
    }
}
