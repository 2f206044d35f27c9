/// What the 16-bit ChMask of a LinkADRReq applies to, selected by its ChMaskCntl field
/// (RP002-1.0.3 §2.4.5 for EU868, §2.5.5 for US915). A ChMaskCntl the region does not list is RFU,
/// and a device answers it with ChannelMaskACK = 0.
public enum ChannelMaskScope: Hashable, Sendable {
    /// ChMask bit i switches channel `channels.lowerBound + i` (EU868 ChMaskCntl 0: channels 0-15;
    /// US915 0-3: blocks of 16 125 kHz channels; US915 4: the 500 kHz channels 64-71).
    case channels(ClosedRange<Int>)
    /// Every channel the device has defined is switched on, whatever ChMask says (EU868 ChMaskCntl 6).
    case allDefinedChannelsOn
    /// ChMask bit i (0-7) switches the bank of 125 kHz channels 8i...8i+7 together with the 500 kHz
    /// channel 64+i; bits 8-15 are RFU (US915/AU915 ChMaskCntl 5, as redefined in RP002).
    case banksOfEight
    /// All 125 kHz channels on; ChMask bits 0-7 switch the 500 kHz channels 64-71 (ChMaskCntl 6).
    case all125kHzOnMasking500kHz
    /// All 125 kHz channels off; ChMask bits 0-7 switch the 500 kHz channels 64-71 (ChMaskCntl 7).
    case all125kHzOffMasking500kHz

    /// EU868 and AS923: ChMaskCntl 0 and 6 (RP002-1.0.3 §2.4.5, §2.10.5).
    static let dynamicPlan: [UInt8: ChannelMaskScope] = [
        0: .channels(0...15),
        6: .allDefinedChannelsOn,
    ]

    /// US915 and AU915: ChMaskCntl 0-7 (RP002-1.0.3 §2.5.5, §2.8.5).
    static let fixedPlan72: [UInt8: ChannelMaskScope] = [
        0: .channels(0...15),
        1: .channels(16...31),
        2: .channels(32...47),
        3: .channels(48...63),
        4: .channels(64...71),
        5: .banksOfEight,
        6: .all125kHzOnMasking500kHz,
        7: .all125kHzOffMasking500kHz,
    ]
}
