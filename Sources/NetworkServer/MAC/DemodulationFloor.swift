import LoRaWAN

/// The lowest SNR at which a LoRa demodulator still receives a frame, per spreading factor (Semtech
/// SX1272/SX1276 datasheets, Table "LoRa Receiver Sensitivity": SF7 −7.5 dB ... SF12 −20 dB, 2.5 dB
/// per step).
///
/// LinkCheckAns reports the margin above this floor (LoRaWAN 1.1 §5.2) and ADR compares the measured
/// SNR with it (the "required SNR" of the Semtech ADR note), so both use this one table.
public enum DemodulationFloor {
    /// The floor in dB for a spreading factor.
    public static func snr(for spreadingFactor: SpreadingFactor) -> Double {
        switch spreadingFactor {
        case .sf7: -7.5
        case .sf8: -10
        case .sf9: -12.5
        case .sf10: -15
        case .sf11: -17.5
        case .sf12: -20
        }
    }

    /// The floor of a region's data rate, `nil` for FSK and LR-FHSS, whose receivers report no
    /// comparable SNR, and for data rates the region does not define.
    public static func snr(for dataRate: DataRateIndex, in region: RegionalParameters) -> Double? {
        guard case .lora(let spreadingFactor, _)? = region.dataRate(dataRate)?.modulation else { return nil }
        return snr(for: spreadingFactor)
    }

    /// LinkCheckAns Margin: how many whole dB the best SNR is above the floor, 0...254 (255 is RFU).
    /// Without a LoRa floor (FSK) the margin is 0: nothing reliable can be said.
    public static func linkMargin(bestSNR: Double, dataRate: DataRateIndex, region: RegionalParameters) -> UInt8 {
        guard let floor = snr(for: dataRate, in: region), bestSNR.isFinite else { return 0 }
        let margin = (bestSNR - floor).rounded(.down)
        return UInt8(min(254, max(0, margin)))
    }
}
