import Foundation
import JoinServer
import LoRaWAN
import Testing

@Suite("Root keys derived from a manufacturer master key (SP 800-108 counter mode, AES-CMAC)")
struct RootKeyDerivationTests {
    // The worked example of docs/root-key-derivation.md.
    static let masterHex = "2B7E151628AED2A6ABF7158809CF4F3C"
    static let master = try! MasterKey(parsing: masterHex)
    static let joinEUI = EUI64(0x70B3_D57E_D000_0001)
    static let devEUI = EUI64(0x0004_A30B_001C_0530)
    static let appKeyInput = "014C6F526157414E204170704B65790070B3D57ED00000010004A30B001C05300080"
    static let nwkKeyInput = "014C6F526157414E204E776B4B65790070B3D57ED00000010004A30B001C05300080"
    static let appKey = "D0188950EBDEB27E8CE29737CCF58C0D"
    static let nwkKey = "FAB8A3F8EF238CE31B95E0D8A23B93C6"

    @Test("the worked example: PRF inputs and derived keys")
    func workedExample() {
        let j = Self.joinEUI, d = Self.devEUI
        #expect(Hex.encode(RootKeyDerivation.pseudorandomFunctionInput(for: .appKey, joinEUI: j, devEUI: d), uppercase: true) == Self.appKeyInput)
        #expect(Hex.encode(RootKeyDerivation.pseudorandomFunctionInput(for: .nwkKey, joinEUI: j, devEUI: d), uppercase: true) == Self.nwkKeyInput)
        #expect(RootKeyDerivation.appKey(master: Self.master, joinEUI: j, devEUI: d).exportHex().uppercased() == Self.appKey)
        #expect(RootKeyDerivation.nwkKey(master: Self.master, joinEUI: j, devEUI: d).exportHex().uppercased() == Self.nwkKey)
    }

    @Test("the worked example agrees with OpenSSL's AES-CMAC")
    func workedExampleAgreesWithOpenSSL() throws {
        #expect(try OpenSSLCMAC.mac(keyHex: Self.masterHex, message: Hex.decode(Self.appKeyInput)!) == Self.appKey)
        #expect(try OpenSSLCMAC.mac(keyHex: Self.masterHex, message: Hex.decode(Self.nwkKeyInput)!) == Self.nwkKey)
    }

    @Test("random masters and EUIs agree with OpenSSL over the fixed input built from the specification")
    func randomInputsAgreeWithOpenSSL() throws {
        var random = SeededGenerator(seed: 0x5800_108)
        for _ in 0..<6 {
            let masterBytes = random.bytes(16)
            let master = try #require(MasterKey(bytes: masterBytes))
            let joinEUI = EUI64(random.next()), devEUI = EUI64(random.next())
            for name in RootKeyName.allCases {
                // Built here from the SP 800-108 parameters, not with the code under test.
                let label: [UInt8] = Array((name == .appKey ? "LoRaWAN AppKey" : "LoRaWAN NwkKey").utf8)
                let fixedInput = label + [0x00] + joinEUI.bigEndianBytes + devEUI.bigEndianBytes + [0x00, 0x80]
                let expected = try OpenSSLCMAC.mac(keyHex: Hex.encode(masterBytes), message: [0x01] + fixedInput)
                let derived: String =
                    switch name {
                    case .appKey: RootKeyDerivation.appKey(master: master, joinEUI: joinEUI, devEUI: devEUI).exportHex()
                    case .nwkKey: RootKeyDerivation.nwkKey(master: master, joinEUI: joinEUI, devEUI: devEUI).exportHex()
                    }
                #expect(derived.uppercased() == expected, "\(name) for \(joinEUI)/\(devEUI)")
            }
        }
    }

    @Test("docs/root-key-derivation.md shows the values the tests check")
    func documentShowsTheCheckedValues() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let document = try String(contentsOf: root.appendingPathComponent("docs/root-key-derivation.md"), encoding: .utf8)
        for value in [Self.masterHex, "\(Self.joinEUI)", "\(Self.devEUI)", Self.appKeyInput, Self.nwkKeyInput, Self.appKey, Self.nwkKey] {
            #expect(document.contains(value), "docs/root-key-derivation.md should show \(value)")
        }
    }

    @Test("a 1.0.x device gets an AppKey; a 1.1 device an NwkKey and the same AppKey", arguments: MACVersion.allCases)
    func keysFollowTheMACVersion(version: MACVersion) {
        let keys = RootKeyDerivation.rootKeys(master: Self.master, joinEUI: Self.joinEUI, devEUI: Self.devEUI, macVersion: version)
        #expect(keys.fit(version))
        let appKey = RootKeyDerivation.appKey(master: Self.master, joinEUI: Self.joinEUI, devEUI: Self.devEUI)
        switch keys {
        case .legacy(let derived):
            #expect(!version.hasSeparateNetworkRootKey)
            #expect(derived == appKey)
        case .separate(let nwkKey, let derived):
            #expect(version.hasSeparateNetworkRootKey)
            #expect(derived == appKey)
            #expect(nwkKey.exportHex().uppercased() == Self.nwkKey)
        }
    }

    @Test("the same inputs always give the same keys")
    func deterministic() {
        let first = RootKeyDerivation.rootKeys(master: Self.master, joinEUI: Self.joinEUI, devEUI: Self.devEUI, macVersion: .v1_1)
        let second = RootKeyDerivation.rootKeys(master: Self.master, joinEUI: Self.joinEUI, devEUI: Self.devEUI, macVersion: .v1_1)
        #expect(first == second)
    }

    @Test("a different DevEUI, JoinEUI, master key, label or EUI order gives a different key")
    func separation() throws {
        func appKey(_ master: MasterKey, _ joinEUI: EUI64, _ devEUI: EUI64) -> String {
            RootKeyDerivation.appKey(master: master, joinEUI: joinEUI, devEUI: devEUI).exportHex()
        }
        let base = appKey(Self.master, Self.joinEUI, Self.devEUI)
        let otherMaster = try #require(MasterKey(bytes: Hex.decode("2B7E151628AED2A6ABF7158809CF4F3D")!))
        #expect(appKey(otherMaster, Self.joinEUI, Self.devEUI) != base)
        #expect(appKey(Self.master, EUI64(Self.joinEUI.rawValue + 1), Self.devEUI) != base)
        #expect(appKey(Self.master, Self.joinEUI, EUI64(Self.devEUI.rawValue ^ 0x0100_0000_0000_0000)) != base)
        #expect(appKey(Self.master, Self.devEUI, Self.joinEUI) != base, "JoinEUI and DevEUI swapped")
        #expect(RootKeyDerivation.nwkKey(master: Self.master, joinEUI: Self.joinEUI, devEUI: Self.devEUI).exportHex() != base)

        // A run of consecutive DevEUIs, as a production line assigns them, never repeats a key.
        let keys = (0..<2_000).map { appKey(Self.master, Self.joinEUI, EUI64(Self.devEUI.rawValue + UInt64($0))) }
        #expect(Set(keys).count == keys.count)
    }

    @Test("derived keys print redacted")
    func derivedKeysPrintRedacted() {
        let keys = RootKeyDerivation.rootKeys(master: Self.master, joinEUI: Self.joinEUI, devEUI: Self.devEUI, macVersion: .v1_1)
        for text in ["\(keys)", String(reflecting: keys), "\(Self.master)"] {
            #expect(!text.contains(Self.appKey) && !text.lowercased().contains(Self.appKey.lowercased()))
            #expect(!text.lowercased().contains(Self.nwkKey.lowercased()))
            #expect(!text.lowercased().contains(Self.masterHex.lowercased()))
        }
    }
}
