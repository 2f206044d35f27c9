/// The frame control byte of an uplink (LoRaWAN 1.1 §4.3.1): ADR | ADRACKReq | ACK | ClassB | FOptsLen.
public struct UplinkFCtrl: Hashable, Sendable {
    public var adr: Bool
    public var adrAckReq: Bool
    public var ack: Bool
    public var classB: Bool

    public init(adr: Bool = false, adrAckReq: Bool = false, ack: Bool = false, classB: Bool = false) {
        self.adr = adr
        self.adrAckReq = adrAckReq
        self.ack = ack
        self.classB = classB
    }

    init(byte: UInt8) {
        adr = byte & 0x80 != 0
        adrAckReq = byte & 0x40 != 0
        ack = byte & 0x20 != 0
        classB = byte & 0x10 != 0
    }

    func byte(fOptsLength: Int) -> UInt8 {
        (adr ? 0x80 : 0) | (adrAckReq ? 0x40 : 0) | (ack ? 0x20 : 0) | (classB ? 0x10 : 0) | UInt8(fOptsLength & 0x0F)
    }
}

/// The frame control byte of a downlink (LoRaWAN 1.1 §4.3.1): ADR | RFU | ACK | FPending | FOptsLen.
public struct DownlinkFCtrl: Hashable, Sendable {
    public var adr: Bool
    public var ack: Bool
    public var fPending: Bool

    public init(adr: Bool = false, ack: Bool = false, fPending: Bool = false) {
        self.adr = adr
        self.ack = ack
        self.fPending = fPending
    }

    init(byte: UInt8) {
        adr = byte & 0x80 != 0
        ack = byte & 0x20 != 0
        fPending = byte & 0x10 != 0
    }

    func byte(fOptsLength: Int) -> UInt8 {
        (adr ? 0x80 : 0) | (ack ? 0x20 : 0) | (fPending ? 0x10 : 0) | UInt8(fOptsLength & 0x0F)
    }
}

/// FCtrl in the layout of the frame's direction.
public enum FCtrl: Hashable, Sendable {
    case uplink(UplinkFCtrl)
    case downlink(DownlinkFCtrl)

    public init(byte: UInt8, direction: Direction) {
        self = direction == .uplink ? .uplink(UplinkFCtrl(byte: byte)) : .downlink(DownlinkFCtrl(byte: byte))
    }

    public var direction: Direction {
        if case .uplink = self { return .uplink }
        return .downlink
    }

    public var adr: Bool {
        switch self {
        case .uplink(let f): f.adr
        case .downlink(let f): f.adr
        }
    }

    public var ack: Bool {
        switch self {
        case .uplink(let f): f.ack
        case .downlink(let f): f.ack
        }
    }

    public func byte(fOptsLength: Int) -> UInt8 {
        switch self {
        case .uplink(let f): f.byte(fOptsLength: fOptsLength)
        case .downlink(let f): f.byte(fOptsLength: fOptsLength)
        }
    }
}
