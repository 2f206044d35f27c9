import Foundation
import LoRaWAN
import NetworkServer
import Testing

@Suite("Network session")
struct NetworkSessionTests {
    /// Walks a value's stored properties (through optionals, enums, arrays and dictionaries) and
    /// returns the type names of every leaf.
    static func storedTypeNames(of value: Any) -> [String] {
        let mirror = Mirror(reflecting: value)
        var names = [String(reflecting: type(of: value))]
        for child in mirror.children { names += storedTypeNames(of: child.value) }
        return names
    }

    @Test("a 1.0 session holds no AppSKey: its keys are NwkSKey only", arguments: [false, true])
    func noAppSKey(lorawan11: Bool) throws {
        let session = try Fixture.session(keys: lorawan11 ? Fixture.currentKeys() : Fixture.legacyKeys)
        let types = Self.storedTypeNames(of: session)
        #expect(!types.contains { $0.contains("AppSKey") })
        let keyTypes = Set(types.filter { $0.hasPrefix("LoRaWAN.AES128Key") })
        #expect(keyTypes == (lorawan11
            ? ["LoRaWAN.AES128Key<LoRaWAN.FNwkSIntKeyRole>", "LoRaWAN.AES128Key<LoRaWAN.SNwkSIntKeyRole>",
               "LoRaWAN.AES128Key<LoRaWAN.NwkSEncKeyRole>"]
            : ["LoRaWAN.AES128Key<LoRaWAN.NwkSKeyRole>"]))
    }

    @Test("no source file of the Network Server names the AppSKey type")
    func sourcesNeverNameAppSKey() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/NetworkServer")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 10)
        for file in files {
            let code = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            for line in code {
                #expect(!line.contains("AppSKey") && !line.contains("AppKey"), "\(file.lastPathComponent): \(line)")
            }
        }
    }

    @Test("a session prints identifiers and counters, never keys")
    func description() throws {
        let nwkSKey: NwkSKey = try Fixture.key("2b7e151628aed2a6abf7158809cf4f3c")
        var session = try Fixture.session(keys: .legacy(nwkSKey: nwkSKey), fCntUp: 12)
        session.downlinkCounters = .shared(fCntDown: 3)
        for text in [String(describing: session), String(reflecting: session), "\(session)"] {
            #expect(!text.lowercased().contains("2b7e1516"))
            #expect(text.contains("FCntUp 12"))
            #expect(text.contains("FCntDown 3"))
        }
        var dumped = ""
        dump(session, to: &dumped)
        #expect(!dumped.lowercased().contains("2b7e1516"))
    }

    @Test("keys, counters and MAC version must agree")
    func versionAgreement() {
        #expect(throws: NetworkSessionError.keysDoNotMatchVersion(.v1_1)) {
            try NetworkSession(devEUI: Fixture.devEUI, devAddr: Fixture.devAddr, macVersion: .v1_1, region: .eu868,
                               activation: .otaa, keys: Fixture.legacyKeys, sessionKeyID: [])
        }
        #expect(throws: NetworkSessionError.keysDoNotMatchVersion(.v1_0_4)) {
            try NetworkSession(devEUI: Fixture.devEUI, devAddr: Fixture.devAddr, macVersion: .v1_0_4, region: .eu868,
                               activation: .otaa, keys: Fixture.currentKeys(), sessionKeyID: [])
        }
        #expect(throws: NetworkSessionError.countersDoNotMatchVersion(.v1_0_4)) {
            try NetworkSession(devEUI: Fixture.devEUI, devAddr: Fixture.devAddr, macVersion: .v1_0_4, region: .eu868,
                               activation: .otaa, keys: Fixture.legacyKeys, sessionKeyID: [],
                               downlinkCounters: .separate(nFCntDown: 0, aFCntDown: 0))
        }
    }

    @Test("a 1.0 session counts one FCntDown, a 1.1 session NFCntDown and AFCntDown, never backwards")
    func downlinkCounters() throws {
        #expect(try Fixture.session().downlinkCounters == .shared(fCntDown: 0))
        var counters = try Fixture.session(keys: Fixture.currentKeys()).downlinkCounters
        #expect(counters == .separate(nFCntDown: 0, aFCntDown: 0))
        counters.spend(9, of: .aFCntDown)
        counters.spend(2, of: .aFCntDown)
        counters.spend(0, of: .nFCntDown)
        #expect(counters == .separate(nFCntDown: 1, aFCntDown: 10))
        counters.spend(5, of: .fCntDown)
        #expect(counters == .separate(nFCntDown: 1, aFCntDown: 10), "a 1.1 session has no FCntDown")
        #expect(counters.next(.fCntDown) == nil)
    }

    @Test("an accepted uplink advances FCntUp and remembers a confirmed one; an old counter changes nothing")
    func acceptedUplink() throws {
        var session = try Fixture.session()
        session.recordAcceptedUplink(fCnt: 5, confirmed: true, adr: true, context: Fixture.context())
        #expect(session.fCntUp == 5)
        #expect(session.lastConfirmedUplinkFCnt == 5)
        #expect(session.adrEnabled)
        session.recordAcceptedUplink(fCnt: 3, confirmed: false, adr: false, context: Fixture.context())
        #expect(session.fCntUp == 5)
        #expect(session.lastConfirmedUplinkFCnt == 5)
        session.recordAcceptedUplink(fCnt: 6, confirmed: false, adr: false, context: Fixture.context())
        #expect(session.lastConfirmedUplinkFCnt == nil)
        #expect(session.adrHistory.count == 2)
    }

    @Test("the defaults follow the region and the join-accept's CFList")
    func defaults() throws {
        let eu = MACSettings.defaults(for: .eu868)
        #expect(eu.enabledUplinkChannels == [0, 1, 2])
        #expect(eu.rx2Frequency == Frequency(hertz: 869_525_000))
        #expect(try Fixture.eu868WithCFList().enabledUplinkChannels == Set(0...7))
        let mask = try RegionalParameters.us915.cfList(enabledChannels: Array(8...15) + [65])
        #expect(MACSettings.defaults(for: .us915, cfList: mask).enabledUplinkChannels == Set(8...15).union([65]))
        #expect(MACSettings.defaults(for: .us915).uplinkChannels.count == 72)
    }

    @Test("requests sent in two downlinks before an uplink all wait for their answers; answers expect none")
    func pendingAccumulates() throws {
        var session = try Fixture.session()
        let first = try DownlinkFrameBuilder.build(DownlinkFrameContent(macCommands: [.devStatusReq, .linkCheckAns(margin: 1, gwCnt: 1)]),
                                                   for: session, dataRate: .dr5)
        session.recordDownlinkSent(first)
        let second = try DownlinkFrameBuilder.build(
            DownlinkFrameContent(macCommands: [.rxTimingSetupReq(delay: RXTimingDelay(rawValue: 2)!)]), for: session, dataRate: .dr5)
        #expect(second.fCnt == 1)
        session.recordDownlinkSent(second)
        #expect(session.pendingMACRequests == [.devStatusReq, .rxTimingSetupReq(delay: RXTimingDelay(rawValue: 2)!)])
    }
}
