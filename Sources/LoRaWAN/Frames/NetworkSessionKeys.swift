/// The keys a Network Server holds for one device session. There is deliberately no AppSKey here: the
/// Network Server never has it (DESIGN.md invariant 3).
public enum NetworkSessionKeys: Sendable, Equatable {
    /// LoRaWAN 1.0.x: one NwkSKey for MICs and FPort 0 payloads.
    case legacy(nwkSKey: NwkSKey)
    /// LoRaWAN 1.1: the three network keys, and which FOpts block layout the device implements.
    case current(fNwkSIntKey: FNwkSIntKey, sNwkSIntKey: SNwkSIntKey, nwkSEncKey: NwkSEncKey, fOptsVariant: FOptsEncryptionVariant)

    public var isLoRaWAN11: Bool {
        if case .current = self { return true }
        return false
    }
}

/// What a 1.1 MIC needs beyond the frame itself (LoRaWAN 1.1 §4.4).
public struct MICParameters: Sendable, Equatable {
    /// The low 16 bits of the confirmed frame this one acknowledges. Only used when the frame's ACK bit is
    /// set; otherwise the MIC uses 0, as the specification requires.
    public var confFCnt: UInt16
    /// Uplink data rate index and channel index (uplink MIC only).
    public var txDR: UInt8
    public var txCh: UInt8

    public init(confFCnt: UInt16 = 0, txDR: UInt8 = 0, txCh: UInt8 = 0) {
        self.confFCnt = confFCnt
        self.txDR = txDR
        self.txCh = txCh
    }
}
