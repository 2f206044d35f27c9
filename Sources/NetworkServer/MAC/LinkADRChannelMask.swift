import LoRaWAN

/// One ChMaskCntl/ChMask pair of a LinkADRReq.
public struct LinkADRChannelMask: Sendable, Hashable, CustomStringConvertible {
    public var chMaskCntl: ChannelMaskControl
    public var chMask: UInt16

    public init(chMaskCntl: ChannelMaskControl, chMask: UInt16) {
        self.chMaskCntl = chMaskCntl
        self.chMask = chMask
    }

    public var description: String { "ChMaskCntl \(chMaskCntl) ChMask 0x\(String(chMask, radix: 16))" }

    /// The masks that leave exactly `enabled` switched on, for a block of contiguous LinkADRReqs
    /// (LoRaWAN 1.1 §5.3.1: a device applies the masks of a block in order, and the DataRate, TXPower
    /// and NbTrans of its last command).
    ///
    /// Dynamic plans (EU868, AS923): one ChMaskCntl 0 mask over channels 0-15 (RP002-1.0.3 §2.4.5).
    /// Fixed 72-channel plans (US915, AU915, RP002-1.0.3 §2.5.5): either ChMaskCntl 7 (all 125 kHz
    /// channels off, 500 kHz by mask) followed by the 16-channel blocks that hold an enabled channel,
    /// or ChMaskCntl 6 (all 125 kHz on) followed by the blocks that are not fully on; the shorter wins,
    /// as ChirpStack does, so a typical one-sub-band plan costs two commands.
    public static func masks(enabling enabled: Set<Int>, region: RegionalParameters) -> [LinkADRChannelMask] {
        guard case .fixed = region.uplinkChannelPlan else {
            return [LinkADRChannelMask(chMaskCntl: ChannelMaskControl(truncatingIfNeeded: 0), chMask: bits(enabled, from: 0))]
        }
        let blocks = 0..<4  // 125 kHz channels 0-63 in four blocks of 16
        let highMask = bits(enabled, from: 64)
        let afterAllOn = blocks.filter { bits(enabled, from: 16 * $0) != 0xFFFF }
        let afterAllOff = blocks.filter { bits(enabled, from: 16 * $0) != 0 }
        let (head, rest): (UInt8, [Int]) = afterAllOff.count <= afterAllOn.count ? (7, afterAllOff) : (6, afterAllOn)
        return [LinkADRChannelMask(chMaskCntl: ChannelMaskControl(truncatingIfNeeded: head), chMask: highMask & 0x00FF)]
            + rest.map { LinkADRChannelMask(chMaskCntl: ChannelMaskControl(truncatingIfNeeded: UInt8($0)), chMask: bits(enabled, from: 16 * $0)) }
    }

    /// The channels enabled after a device applied `masks` in order to `enabled`, or `nil` when a
    /// ChMaskCntl is RFU in the region (a device refuses such a block). `defined` are the channel
    /// indices the device has.
    public static func apply(_ masks: [LinkADRChannelMask], to enabled: Set<Int>, defined: Set<Int>,
                             region: RegionalParameters) -> Set<Int>? {
        var result = enabled
        for mask in masks {
            guard let scope = region.channelMaskScope(chMaskCntl: mask.chMaskCntl.rawValue) else { return nil }
            switch scope {
            case .channels(let range):
                for (bit, channel) in range.prefix(16).enumerated() {
                    set(channel, on: mask.chMask & (1 << UInt16(bit)) != 0, in: &result)
                }
            case .allDefinedChannelsOn:
                result = defined
            case .banksOfEight:
                for bank in 0..<8 {
                    let on = mask.chMask & (1 << UInt16(bank)) != 0
                    for channel in (8 * bank)..<(8 * bank + 8) { set(channel, on: on, in: &result) }
                    set(64 + bank, on: on, in: &result)
                }
            case .all125kHzOnMasking500kHz, .all125kHzOffMasking500kHz:
                let on = scope == .all125kHzOnMasking500kHz
                for channel in 0..<64 { set(channel, on: on, in: &result) }
                for bit in 0..<8 { set(64 + bit, on: mask.chMask & (1 << UInt16(bit)) != 0, in: &result) }
            }
        }
        return result.intersection(defined)
    }

    /// ChMask bit i = channel `first + i` enabled.
    private static func bits(_ enabled: Set<Int>, from first: Int) -> UInt16 {
        (0..<16).reduce(UInt16(0)) { mask, bit in enabled.contains(first + bit) ? mask | 1 << UInt16(bit) : mask }
    }

    private static func set(_ channel: Int, on: Bool, in set: inout Set<Int>) {
        if on { set.insert(channel) } else { set.remove(channel) }
    }
}
