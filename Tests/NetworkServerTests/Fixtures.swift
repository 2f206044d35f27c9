import ReferenceVectors
import BackendInterfaces
import Foundation
import LoRaWAN
import NetworkServer
import Testing

/// Sessions, radio metadata and a simulated device, shared by the suites.
enum Fixture {
    static let devEUI = EUI64(0x0004_A30B_001C_0530)
    static let sessionKeyID: [UInt8] = [0x53, 0x4B, 0x01]
    static let devAddr = DevAddr(0x2601_1234)

    static func key<Role>(_ hex: String, as _: Role.Type = Role.self) throws -> AES128Key<Role> {
        try AES128Key<Role>(parsing: hex)
    }

    /// A key whose 16 bytes are all `byte`.
    static func key<Role>(filledWith byte: UInt8, as _: Role.Type = Role.self) -> AES128Key<Role> {
        AES128Key<Role>(bytes: [UInt8](repeating: byte, count: 16))!
    }

    static let legacyKeys = NetworkSessionKeys.legacy(nwkSKey: key(filledWith: 0x11))
    static func currentKeys(_ variant: FOptsEncryptionVariant = .errata) -> NetworkSessionKeys {
        .current(fNwkSIntKey: key(filledWith: 0x21), sNwkSIntKey: key(filledWith: 0x22), nwkSEncKey: key(filledWith: 0x23),
                 fOptsVariant: variant)
    }

    static func session(
        keys: NetworkSessionKeys = legacyKeys, devAddr: DevAddr = devAddr, region: Region = .eu868,
        activation: NetworkSession.Activation = .otaa, fCntUp: UInt32? = nil, macSettings: MACSettings? = nil,
        devEUI: EUI64 = devEUI
    ) throws -> NetworkSession {
        try NetworkSession(
            devEUI: devEUI, devAddr: devAddr, macVersion: keys.isLoRaWAN11 ? .v1_1 : .v1_0_3, region: region,
            activation: activation, keys: keys, sessionKeyID: sessionKeyID, macSettings: macSettings, fCntUp: fCntUp)
    }

    /// EU868 settings with the usual CFList channels 3-7 (867.1-867.9 MHz).
    static func eu868WithCFList() throws -> MACSettings {
        let frequencies = stride(from: 867_100_000, through: 867_900_000, by: 200_000).map { Frequency(hertz: UInt32($0)) }
        return MACSettings.defaults(for: .eu868, cfList: try RegionalParameters.eu868.cfList(frequencies: frequencies))
    }

    static func metadata(
        dataRate: DataRateIndex = .dr5, frequency: UInt32 = 868_100_000, snr: Double = 7, rssi: Double = -60,
        gpsTime: Int64 = 0, xtime: Int64 = 0x1234_5678
    ) -> UplinkRadioMetadata {
        UplinkRadioMetadata(dataRate: dataRate, frequency: Frequency(hertz: frequency), rssi: rssi, snr: snr, rctx: 0,
                            xtime: xtime, gpsTime: gpsTime)
    }

    static func context(
        dataRate: DataRateIndex = .dr5, frequency: UInt32 = 868_100_000, gateways: Int = 1, snr: Double = 7,
        gpsTime: Duration? = nil
    ) -> UplinkRadioContext {
        UplinkRadioContext(dataRate: dataRate, frequency: Frequency(hertz: frequency), gatewayCount: gateways,
                           bestSNR: snr, gpsTime: gpsTime)
    }

    /// What a device sends: clear FOpts and FPort 0 payload are encrypted the way the session's device
    /// does, application payloads are taken as already encrypted.
    static func uplink(
        for session: NetworkSession, fCnt: UInt32, confirmed: Bool = false, adr: Bool = false, ack: Bool = false,
        fOpts: [UInt8] = [], fPort: UInt8? = 1, payload: [UInt8] = [0xCA, 0xFE],
        dataRate: DataRateIndex = .dr5, frequency: UInt32 = 868_100_000, confFCnt: UInt16 = 0, devAddr: DevAddr? = nil
    ) throws -> [UInt8] {
        let frame = DataFrame(
            confirmed: confirmed, devAddr: devAddr ?? session.devAddr, fCtrl: .uplink(UplinkFCtrl(adr: adr, ack: ack)),
            fCnt16: UInt16(truncatingIfNeeded: fCnt), fOpts: fOpts, fPort: fPort, frmPayload: fPort == nil ? [] : payload)
        let channel = session.macSettings.uplinkChannelIndex(for: Frequency(hertz: frequency)) ?? 0
        return try DataFrameCrypto.seal(
            frame, fCnt: fCnt, keys: session.keys,
            micParameters: MICParameters(confFCnt: confFCnt, txDR: dataRate.rawValue, txCh: UInt8(channel)))
    }

    static func applicationDownlink(
        fCnt: UInt32, fPort: UInt8 = 1, payload: [UInt8] = [1, 2, 3], confirmed: Bool = false,
        sessionKeyID: [UInt8] = sessionKeyID, devEUI: EUI64 = devEUI
    ) -> ApplicationDownlink {
        ApplicationDownlink(id: UUID(uuidString: "00000000-0000-0000-0000-00000000D0D0")!, devEUI: devEUI,
                            sessionKeyID: sessionKeyID, fPort: fPort, fCnt: fCnt, encryptedFRMPayload: payload,
                            confirmed: confirmed)
    }
}

/// An instant under the test's control, so windows open and close exactly when a test says.
struct TestInstant: InstantProtocol, Sendable {
    var offset: Duration
    static func milliseconds(_ ms: Int64) -> TestInstant { TestInstant(offset: .milliseconds(ms)) }
    func advanced(by duration: Duration) -> TestInstant { TestInstant(offset: offset + duration) }
    func duration(to other: TestInstant) -> Duration { other.offset - offset }
    static func < (a: TestInstant, b: TestInstant) -> Bool { a.offset < b.offset }
}

extension VectorFile.Vector {
    func has(_ name: String) -> Bool { inputs[name] != nil && inputs[name] != .null }
    func bool(_ name: String) -> Bool { inputs[name] == .bool(true) }
    func optionalInt(_ name: String) throws -> Int? { has(name) ? try int(name) : nil }
    func key<Role>(_ name: String, as _: Role.Type = Role.self) throws -> AES128Key<Role> {
        guard let key = AES128Key<Role>(bytes: try hex(name)) else { throw VectorError.wrongType(vector: id, field: name) }
        return key
    }
    func devAddr() throws -> DevAddr { try DevAddr(parsing: try string("dev_addr")) }
}
