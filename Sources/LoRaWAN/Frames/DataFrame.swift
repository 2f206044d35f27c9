/// A data frame (LoRaWAN 1.1 §4.3) as values: FHDR, FPort and FRMPayload as they are on the wire
/// (FRMPayload still encrypted, FOpts encrypted for 1.1 sessions).
public struct DataFrame: Hashable, Sendable {
    public var confirmed: Bool
    public var devAddr: DevAddr
    public var fCtrl: FCtrl
    /// The low 16 bits of the frame counter, as transmitted.
    public var fCnt16: UInt16
    public var fOpts: [UInt8]
    public var fPort: UInt8?
    public var frmPayload: [UInt8]
    public var mic: MIC

    public var direction: Direction { fCtrl.direction }
    public var mType: MType {
        switch (direction, confirmed) {
        case (.uplink, false): .unconfirmedDataUp
        case (.uplink, true): .confirmedDataUp
        case (.downlink, false): .unconfirmedDataDown
        case (.downlink, true): .confirmedDataDown
        }
    }

    public init(
        confirmed: Bool, devAddr: DevAddr, fCtrl: FCtrl, fCnt16: UInt16, fOpts: [UInt8] = [], fPort: UInt8? = nil,
        frmPayload: [UInt8] = [], mic: MIC = MIC(0)
    ) {
        self.confirmed = confirmed
        self.devAddr = devAddr
        self.fCtrl = fCtrl
        self.fCnt16 = fCnt16
        self.fOpts = fOpts
        self.fPort = fPort
        self.frmPayload = frmPayload
        self.mic = mic
    }

    /// Decodes a whole data PHYPayload.
    public init(decoding bytes: [UInt8]) throws(FrameError) {
        let layout = try DataFrameLayout(parsing: bytes)
        let direction = layout.direction
        confirmed = layout.mType.isConfirmed
        devAddr = layout.devAddr
        fCtrl = FCtrl(byte: layout.fCtrlByte, direction: direction)
        fCnt16 = layout.fCnt16
        fOpts = Array(bytes[layout.fOpts])
        fPort = layout.fPort
        frmPayload = Array(bytes[layout.frmPayload])
        mic = layout.mic
    }

    /// The wire bytes without the MIC: what the MIC covers.
    public func encodeWithoutMIC() throws(FrameError) -> [UInt8] {
        guard fOpts.count <= 15 else { throw .tooLong(field: "FOpts", maximum: 15, actual: fOpts.count) }
        if fPort == nil && !frmPayload.isEmpty {
            throw .invalidField(field: "FPort", reason: "an FRMPayload needs an FPort")
        }
        if fPort == 0 && !fOpts.isEmpty {
            throw .invalidField(field: "FPort", reason: "FPort 0 with FOpts present (MAC commands in both places)")
        }
        var out: [UInt8] = [MHDR(mType: mType).byte]
        out.appendLE(devAddr.rawValue)
        out.append(fCtrl.byte(fOptsLength: fOpts.count))
        out.appendLE(fCnt16)
        out += fOpts
        if let fPort {
            out.append(fPort)
            out += frmPayload
        }
        guard out.count + 4 <= DataFrameLayout.maximumPHYPayloadLength else {
            throw .tooLong(field: "PHYPayload", maximum: DataFrameLayout.maximumPHYPayloadLength, actual: out.count + 4)
        }
        return out
    }

    /// The whole PHYPayload with `mic` appended.
    public func encode() throws(FrameError) -> [UInt8] {
        try encodeWithoutMIC() + mic.bytes
    }
}
