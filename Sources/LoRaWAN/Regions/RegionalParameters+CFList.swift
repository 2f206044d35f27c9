/// Building and reading the join-accept CFList of a region.
extension RegionalParameters {
    /// The CFListType byte this region's join-accepts carry.
    public var cfListTypeByte: UInt8 { cfListKind.rawValue }

    /// A type 0 CFList with up to five extra channels, each inside the region's band.
    public func cfList(frequencies: [Frequency]) throws(RegionalParametersError) -> RegionalCFList {
        guard cfListKind == .frequencies else {
            throw .cfListWrongType(region, expected: cfListTypeByte, actual: CFListKind.frequencies.rawValue)
        }
        let list = try CFListFrequencies(frequencies)
        try checkBand(list)
        return .frequencies(list)
    }

    /// A type 1 CFList enabling exactly `enabledChannels` (indices 0-71 in US915 and AU915).
    public func cfList(enabledChannels: some Sequence<Int>) throws(RegionalParametersError) -> RegionalCFList {
        guard cfListKind == .channelMask else {
            throw .cfListWrongType(region, expected: cfListTypeByte, actual: CFListKind.channelMask.rawValue)
        }
        return .channelMask(try CFListChannelMask(enabledChannels: enabledChannels,
                                                  channelCount: uplinkChannelPlan.maxChannels, region: region))
    }

    /// Reads the 16 CFList bytes of a join-accept: refuses a wrong length, a CFListType the region
    /// does not use, set RFU bytes, frequencies outside the band and channels the region lacks.
    public func decodeCFList(_ bytes: some Collection<UInt8>) throws(RegionalParametersError) -> RegionalCFList {
        let bytes = Array(bytes)
        guard bytes.count == RegionalCFList.byteCount else { throw .cfListWrongLength(bytes.count) }
        let typeByte = bytes[15]
        guard typeByte == cfListTypeByte else {
            throw .cfListWrongType(region, expected: cfListTypeByte, actual: typeByte)
        }
        let field = bytes[0..<15]
        switch cfListKind {
        case .frequencies:
            let list = try CFListFrequencies.decode(field)
            try checkBand(list)
            return .frequencies(list)
        case .channelMask:
            return .channelMask(try CFListChannelMask.decode(field, channelCount: uplinkChannelPlan.maxChannels,
                                                             region: region))
        }
    }

    // RP002-1.0.3 §2.4.4: a CFList frequency must be one the device may use in the region.
    private func checkBand(_ list: CFListFrequencies) throws(RegionalParametersError) {
        for frequency in list.frequencies where !frequencyRange.contains(frequency) {
            throw .cfListFrequencyOutOfBand(region, frequency)
        }
    }
}
