import LoRaWAN

/// The lane (``OrderedLanes``) a deduplicated frame is processed in: frames that can change the same
/// device's state share a lane and are processed one after another, in the order they arrived.
///
/// Read from the frame's clear header only, before any key or storage is touched.
enum UplinkLaneKey: Hashable, Sendable {
    /// A data uplink. Which device sent it is only known after the MIC check, but every candidate
    /// session holds this DevAddr, so the DevAddr groups all frames that could advance one session's
    /// FCnt (devices sharing a DevAddr are only serialised with each other).
    case devAddr(DevAddr)
    /// A join-request: it changes its DevEUI's DevNonce history and session.
    case devEUI(EUI64)
    /// Anything else (rejoin-requests, proprietary or malformed frames) changes no device's counters and
    /// gets a lane of its own: its bytes, unique per frame after deduplication.
    case frame([UInt8])

    init(phyPayload: [UInt8]) {
        guard let first = phyPayload.first, let mhdr = try? MHDR(byte: first) else {
            self = .frame(phyPayload)
            return
        }
        switch mhdr.mType {
        case .unconfirmedDataUp, .confirmedDataUp:
            // LoRaWAN 1.1 §4.3.1: the FHDR opens with the DevAddr, little-endian, right after the MHDR.
            guard phyPayload.count >= 5 else { self = .frame(phyPayload); return }
            self = .devAddr(DevAddr(Self.littleEndian(phyPayload[1 ..< 5])))
        case .joinRequest:
            // LoRaWAN 1.1 §6.2.2: MHDR | JoinEUI (8) | DevEUI (8) | DevNonce (2) | MIC (4), little-endian.
            guard phyPayload.count == 23 else { self = .frame(phyPayload); return }
            self = .devEUI(EUI64(Self.littleEndian(phyPayload[9 ..< 17])))
        default:
            self = .frame(phyPayload)
        }
    }

    private static func littleEndian<Value: FixedWidthInteger & UnsignedInteger>(_ bytes: ArraySlice<UInt8>) -> Value {
        bytes.reversed().reduce(Value.zero) { $0 << 8 | Value($1) }
    }
}
