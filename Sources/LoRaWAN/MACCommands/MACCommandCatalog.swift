/// The standard MAC commands by CID: for each direction, the command's name in the specification and
/// its payload length in bytes. One row per CID keeps a request beside its answer, as the command
/// tables of LoRaWAN 1.1 §5, §14 and §18 list them, and is the single place the codec and
/// `payloadLength(cid:)` learn lengths from.
enum MACCommandCatalog {
    /// One direction of a CID.
    struct Entry: Sendable {
        let name: String
        let payloadLength: Int

        init(_ name: String, _ payloadLength: Int) {
            self.name = name
            self.payloadLength = payloadLength
        }
    }

    /// A CID and what it means in each direction (`nil`: the direction does not define it).
    struct Row: Sendable {
        let cid: UInt8
        let uplink: Entry?
        let downlink: Entry?
    }

    /// LoRaWAN 1.1 §5 (Class A), §14 (Class B) and §18 (Class C). LoRaWAN 1.0.4 §5 and §12 define the
    /// same layouts for the CIDs they share; 0x01, 0x0B, 0x0C, 0x0E, 0x0F and 0x20 are 1.1 only.
    static let rows: [Row] = [
        Row(cid: 0x01, uplink: Entry("ResetInd", 1), downlink: Entry("ResetConf", 1)),
        Row(cid: 0x02, uplink: Entry("LinkCheckReq", 0), downlink: Entry("LinkCheckAns", 2)),
        Row(cid: 0x03, uplink: Entry("LinkADRAns", 1), downlink: Entry("LinkADRReq", 4)),
        Row(cid: 0x04, uplink: Entry("DutyCycleAns", 0), downlink: Entry("DutyCycleReq", 1)),
        Row(cid: 0x05, uplink: Entry("RXParamSetupAns", 1), downlink: Entry("RXParamSetupReq", 4)),
        Row(cid: 0x06, uplink: Entry("DevStatusAns", 2), downlink: Entry("DevStatusReq", 0)),
        Row(cid: 0x07, uplink: Entry("NewChannelAns", 1), downlink: Entry("NewChannelReq", 5)),
        Row(cid: 0x08, uplink: Entry("RXTimingSetupAns", 0), downlink: Entry("RXTimingSetupReq", 1)),
        Row(cid: 0x09, uplink: Entry("TxParamSetupAns", 0), downlink: Entry("TxParamSetupReq", 1)),
        Row(cid: 0x0A, uplink: Entry("DlChannelAns", 1), downlink: Entry("DlChannelReq", 4)),
        Row(cid: 0x0B, uplink: Entry("RekeyInd", 1), downlink: Entry("RekeyConf", 1)),
        Row(cid: 0x0C, uplink: Entry("ADRParamSetupAns", 0), downlink: Entry("ADRParamSetupReq", 1)),
        Row(cid: 0x0D, uplink: Entry("DeviceTimeReq", 0), downlink: Entry("DeviceTimeAns", 5)),
        Row(cid: 0x0E, uplink: nil, downlink: Entry("ForceRejoinReq", 2)),
        Row(cid: 0x0F, uplink: Entry("RejoinParamSetupAns", 1), downlink: Entry("RejoinParamSetupReq", 1)),
        Row(cid: 0x10, uplink: Entry("PingSlotInfoReq", 1), downlink: Entry("PingSlotInfoAns", 0)),
        Row(cid: 0x11, uplink: Entry("PingSlotChannelAns", 1), downlink: Entry("PingSlotChannelReq", 4)),
        // Deprecated since LoRaWAN 1.0.3 and 1.1 (devices use DeviceTimeReq), still decoded for old devices.
        Row(cid: 0x12, uplink: Entry("BeaconTimingReq", 0), downlink: Entry("BeaconTimingAns", 3)),
        Row(cid: 0x13, uplink: Entry("BeaconFreqAns", 1), downlink: Entry("BeaconFreqReq", 3)),
        Row(cid: 0x20, uplink: Entry("DeviceModeInd", 1), downlink: Entry("DeviceModeConf", 1)),
    ]

    /// `rows` indexed by CID for the standard range 0x00-0x7F.
    private static let rowsByCID: [Row?] = {
        var table = [Row?](repeating: nil, count: 0x80)
        for row in rows { table[Int(row.cid)] = row }
        return table
    }()

    /// The standard command `cid` names in `direction`, or `nil` when that direction does not define it
    /// (including the proprietary range 0x80-0xFF, whose lengths the specification leaves open).
    static func entry(cid: UInt8, direction: Direction) -> Entry? {
        guard Int(cid) < rowsByCID.count, let row = rowsByCID[Int(cid)] else { return nil }
        return direction == .uplink ? row.uplink : row.downlink
    }
}
