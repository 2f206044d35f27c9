/// Where each field of a data frame sits in its wire bytes: `MHDR | DevAddr | FCtrl | FCnt | FOpts |
/// [FPort | FRMPayload] | MIC` (LoRaWAN 1.1 §4.3).
///
/// Parsing copies nothing and allocates nothing, so the Network Server's per-frame path (MIC check and
/// decryption in place) can run on the received buffer. `DataFrame` builds its value model from this
/// same layout, so there is one parser.
public struct DataFrameLayout: Sendable, Equatable {
    public let mType: MType
    public let devAddr: DevAddr
    public let fCtrlByte: UInt8
    public let fCnt16: UInt16
    /// Byte range of FOpts (possibly empty).
    public let fOpts: Range<Int>
    public let fPort: UInt8?
    /// Byte range of FRMPayload (empty when there is no FPort, or FPort with an empty payload).
    public let frmPayload: Range<Int>
    public let mic: MIC
    /// Bytes covered by the MIC: everything but the last four.
    public let micCovered: Range<Int>

    public var direction: Direction { mType.dataDirection ?? .uplink }

    /// The largest PHYPayload a LoRa radio carries.
    public static let maximumPHYPayloadLength = 255

    @inlinable
    public init(parsing frame: UnsafeRawBufferPointer) throws(FrameError) {
        let count = frame.count
        guard count >= 12 else { throw .truncated(field: "data frame", needed: 12, available: count) }
        guard count <= Self.maximumPHYPayloadLength else {
            throw .tooLong(field: "PHYPayload", maximum: Self.maximumPHYPayloadLength, actual: count)
        }
        let mhdr = try MHDR(byte: frame[0])
        guard mhdr.mType.dataDirection != nil else {
            throw .invalidField(field: "MHDR", reason: "\(mhdr.mType) is not a data message")
        }
        mType = mhdr.mType
        devAddr = DevAddr(frame.loadUnaligned(fromByteOffset: 1, as: UInt32.self).littleEndian)
        fCtrlByte = frame[5]
        // LoRaWAN 1.1 §4.3.1: bit 6 of a downlink FCtrl is RFU.
        if mhdr.mType.dataDirection == .downlink && fCtrlByte & 0x40 != 0 {
            throw .invalidField(field: "FCtrl", reason: "RFU bit 6 is set in a downlink")
        }
        fCnt16 = UInt16(frame[6]) | UInt16(frame[7]) << 8
        let fOptsLength = Int(fCtrlByte & 0x0F)
        let macEnd = count - 4
        guard 8 + fOptsLength <= macEnd else {
            throw .truncated(field: "FOpts", needed: fOptsLength, available: macEnd - 8)
        }
        fOpts = 8..<(8 + fOptsLength)
        if fOpts.upperBound < macEnd {
            let port = frame[fOpts.upperBound]
            // LoRaWAN 1.1 §4.3.1.6: MAC commands go either in FOpts or in an FPort 0 payload, never both.
            if port == 0 && fOptsLength > 0 {
                throw .invalidField(field: "FPort", reason: "FPort 0 with FOpts present (MAC commands in both places)")
            }
            fPort = port
            frmPayload = (fOpts.upperBound + 1)..<macEnd
        } else {
            fPort = nil
            frmPayload = macEnd..<macEnd
        }
        mic = MIC(frame.loadUnaligned(fromByteOffset: macEnd, as: UInt32.self).littleEndian)
        micCovered = 0..<macEnd
    }

    public init(parsing frame: [UInt8]) throws(FrameError) {
        let parsed = frame.withUnsafeBytes { raw in
            Result { () throws(FrameError) -> DataFrameLayout in try DataFrameLayout(parsing: raw) }
        }
        self = try parsed.get()
    }
}
