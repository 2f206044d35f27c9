import LoRaWAN
import PropertyBased
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test("an EUI-64 parses with or without separators", arguments: [
        "0016C001FF10A235", "0016c001ff10a235", "00-16-C0-01-FF-10-A2-35", "00:16:c0:01:ff:10:a2:35",
        "0x0016C001FF10A235", "00 16 C0 01 FF 10 A2 35", " 0016C001FF10A235 ",
    ])
    func euiForms(text: String) throws {
        #expect(try EUI64(parsing: text) == EUI64(0x0016_C001_FF10_A235))
    }

    @Test("the ID6 form Basics Station sends parses and prints back", arguments: [
        ("16:c001:ff10:a235", UInt64(0x0016_C001_FF10_A235)), ("::1", 1), ("::2:3", 0x0000_0000_0002_0003),
        ("1::", 0x0001_0000_0000_0000), ("1:2::", 0x0001_0002_0000_0000), ("1::4", 0x0001_0000_0000_0004),
        ("ffff:ffff:ffff:ffff", UInt64.max), ("::0", 0),
    ])
    func id6(text: String, value: UInt64) throws {
        let eui = try EUI64(parsing: text)
        #expect(eui.rawValue == value)
        #expect((try? EUI64(parsing: eui.id6)) == eui)
    }

    @Test("ID6 output uses the station's compressions")
    func id6Output() {
        #expect(EUI64(0x0016_C001_FF10_A235).id6 == "16:c001:ff10:a235")
        #expect(EUI64(1).id6 == "::1")
        #expect(EUI64(0x0001_0000_0000_0004).id6 == "1::4")
        #expect(EUI64(0x0001_0002_0000_0000).id6 == "1:2::")
    }

    @Test("every EUI survives ID6, dashed and plain text")
    func euiRoundTrips() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { value in
            let eui = EUI64(value)
            #expect((try? EUI64(parsing: eui.id6)) == eui)
            #expect((try? EUI64(parsing: eui.dashed)) == eui)
            #expect((try? EUI64(parsing: eui.description)) == eui)
            #expect(EUI64(littleEndianBytes: eui.littleEndianBytes) == eui)
        }
    }

    @Test("a MAC-48 becomes an EUI-64 with FFFE in the middle")
    func mac48() throws {
        #expect(try EUI64(parsingEUIOrMAC: "b8:27:eb:12:34:56") == EUI64(0xB827_EBFF_FE12_3456))
        #expect(try EUI64(parsingEUIOrMAC: "B827EB123456").description == "B827EBFFFE123456")
        #expect(try EUI64(parsingEUIOrMAC: "0016C001FF10A235") == EUI64(0x0016_C001_FF10_A235))
    }

    @Test("malformed EUIs are refused with a reason", arguments: [
        "", "0016C001FF10A23", "0016C001FF10A2355", "0016C001FF10A23G", "1:2:3:4:5", ":::", "12345::1", "1::2::3",
    ])
    func badEUIs(text: String) {
        #expect(throws: FrameError.self) { try EUI64(parsing: text) }
    }

    @Test("DevAddr splits into NetID type, NwkID and NwkAddr for every NetID type")
    func devAddrLayout() async {
        await propertyCheck(count: 300, input: Gen.uint32(in: 0...0xFF_FFFF), Gen.uint32()) { netIDValue, nwkAddr in
            let netID = NetID(netIDValue)!
            let addr = DevAddr(netID: netID, nwkAddr: nwkAddr)
            #expect(addr.netIDType == netID.type)
            #expect(addr.nwkID == netID.nwkID)
            #expect(addr.belongs(to: netID))
        }
    }

    @Test("a type 0 NetID 000013 owns DevAddrs 26xxxxxx (The Things Network's block)")
    func ttnBlock() throws {
        let netID = try NetID(parsing: "000013")
        #expect(netID.type == 0)
        #expect(DevAddr(0x2601_1234).belongs(to: netID))
        #expect(DevAddr(netID: netID, nwkAddr: 0x1234).description == "26001234")
        #expect(!DevAddr(0x2801_1234).belongs(to: netID))
    }

    @Test("a type 3 NetID places its 11-bit NwkID after the 1110 prefix")
    func type3() throws {
        let netID = try NetID(parsing: "600123")
        #expect(netID.type == 3)
        let addr = DevAddr(netID: netID, nwkAddr: 1)
        #expect(addr.rawValue >> 28 == 0b1110)
        #expect(addr.nwkID == 0x123)
        #expect(addr.nwkAddr == 1)
    }

    @Test("JoinNonce is 24 bits and knows when it is exhausted")
    func joinNonce() {
        #expect(JoinNonce(0x100_0000) == nil)
        #expect(JoinNonce(0xFF_FFFF)?.next == nil)
        #expect(JoinNonce(1)?.next == JoinNonce(2))
    }

    @Test("the last-accepted counter rebuild never goes backwards and is in the same or next epoch")
    func frameCounterMonotonic() async {
        await propertyCheck(count: 500, input: Gen.uint32(in: 0...0xFFFE_FFFF), Gen.uint16()) { last, low in
            let full = FrameCounter.full(fromLow16: low, lastAccepted: last)
            #expect(UInt16(truncatingIfNeeded: full) == low)
            #expect(full >= last || full < 0x1_0000)  // only the 32-bit wrap can go below
            #expect(full - last < 0x1_0000 || full < last)
        }
    }
}

@Suite("Keys")
struct KeyTests {
    @Test("keys print as redacted everywhere")
    func redaction() throws {
        let hex = "2b7e151628aed2a6abf7158809cf4f3c"
        let key = try AppSKey(parsing: hex)
        let keys = LegacySessionKeys(nwkSKey: try NwkSKey(parsing: hex), appSKey: key)
        var dumped = ""
        dump(keys, to: &dumped)
        for text in [key.description, key.debugDescription, "\(key)", String(reflecting: key), "\(keys)", String(reflecting: keys), dumped] {
            #expect(!text.lowercased().contains(hex))
            #expect(!text.lowercased().contains("2b7e"))
        }
        #expect(key.description == "AppSKey(<redacted>)")
    }

    @Test("a malformed key is refused without echoing the text")
    func malformedKey() {
        do {
            _ = try AppKey(parsing: "2b7e151628aed2a6abf7158809cf4fXX")
            Issue.record("accepted a malformed key")
        } catch {
            #expect(!error.description.contains("2b7e"))
        }
        #expect(AppKey(bytes: [1, 2, 3]) == nil)
    }
}
