import LoRaWAN

/// Reads a manufacturer's list of devices (JSON or CSV) for import into the Join Server.
///
/// A batch is all or nothing: the first malformed record refuses the whole batch, with where it is and
/// which field, so an operator fixes the file and imports it again rather than hunting for the devices
/// that were left out. The same DevEUI twice is refused too. Parsing is pure: no keys are unwrapped
/// here (`ManufacturerDevice.rootKeys(unwrappingWith:)` does that) and nothing is stored.
///
/// JSON:
///
///     {"devices": [{"dev_eui": "0004A30B001C0530", "join_eui": "70B3D57ED0000001",
///                   "mac_version": "1.0.3", "claim_code": "K7Q-PL2-9XZ",
///                   "kek_label": "mfr-2026", "app_key": "<48 hex digits>"}]}
///
/// CSV, with a header line naming the columns in any order (`kek_label`, `app_key` and `nwk_key` may
/// be left out or empty):
///
///     dev_eui,join_eui,mac_version,claim_code,kek_label,app_key,nwk_key
///
/// `app_key` and `nwk_key` are the RFC 3394 wraps (24 bytes, 48 hex digits) of the root keys under
/// the KEK named `kek_label`; a 1.1 device with keys has both, a 1.0.x device only `app_key`.
public enum ManufacturerBatch {
    /// The most devices one batch may hold; bigger deliveries are split, which also bounds the
    /// transaction that stores a batch.
    public static let maximumDevices = 100_000
    /// The largest document accepted, checked before parsing so that an oversized upload costs nothing.
    /// A generously formatted record is under 600 bytes, so a full batch fits.
    public static let maximumDocumentBytes = 64 << 20
}

/// Refuses a second record for a DevEUI and keeps the records in order.
struct BatchCollector<Record> {
    private(set) var records: [Record] = []
    private var seen: [EUI64: RecordLocation] = [:]

    init(expectedCount: Int = 0) { records.reserveCapacity(min(expectedCount, ManufacturerBatch.maximumDevices)) }

    /// - Returns: where the DevEUI was first seen, if it was.
    mutating func append(_ record: Record, devEUI: EUI64, at location: RecordLocation) -> RecordLocation? {
        if let first = seen[devEUI] { return first }
        seen[devEUI] = location
        records.append(record)
        return nil
    }
}
