import Crypto
import JoinServer
import LoRaWAN
import Testing

@Suite("Claim codes")
struct ClaimCodeTests {
    let joinEUI = EUI64(0x70B3_D57E_D000_0001)
    let devEUI = EUI64(0x0004_A30B_001C_0530)

    @Test("6 to 64 printable ASCII characters are a claim code", arguments: ["ABC123", "K7Q-PL2-9XZ", "a,b\"c!~{}", String(repeating: "x", count: 64)])
    func accepted(text: String) throws {
        _ = try ClaimCode(parsing: text)
    }

    @Test("too short or too long is refused, saying the length")
    func lengths() {
        #expect(throws: ClaimCodeError.length(5)) { try ClaimCode(parsing: "ABCDE") }
        #expect(throws: ClaimCodeError.length(65)) { try ClaimCode(parsing: String(repeating: "x", count: 65)) }
        #expect(throws: ClaimCodeError.length(0)) { try ClaimCode(parsing: "") }
    }

    @Test("spaces, control characters and non-ASCII are refused, saying where")
    func characters() {
        #expect(throws: ClaimCodeError.invalidCharacter(position: 4)) { try ClaimCode(parsing: "ABC DEF") }
        #expect(throws: ClaimCodeError.invalidCharacter(position: 1)) { try ClaimCode(parsing: " ABCDEF") }
        #expect(throws: ClaimCodeError.invalidCharacter(position: 7)) { try ClaimCode(parsing: "ABCDEF\t") }
        #expect(throws: ClaimCodeError.invalidCharacter(position: 3)) { try ClaimCode(parsing: "ABéCDEF") }
        #expect(throws: ClaimCodeError.invalidCharacter(position: 2)) { try ClaimCode(parsing: "A\u{7F}BCDEF") }
    }

    @Test("the hash is SHA-256 of the domain, 0x00, JoinEUI, DevEUI and the code")
    func hashFormula() throws {
        let code = try ClaimCode(parsing: "K7Q-PL2-9XZ")
        var message = Array("gatehouse-claim-v1".utf8) + [0x00]
        message += Hex.decode("70B3D57ED0000001")! + Hex.decode("0004A30B001C0530")! + Array("K7Q-PL2-9XZ".utf8)
        #expect(code.hash(joinEUI: joinEUI, devEUI: devEUI) == Array(SHA256.hash(data: message)))
        #expect(code.hash(joinEUI: joinEUI, devEUI: devEUI).count == 32)
    }

    @Test("the same code on two devices hashes differently")
    func sameCodeDifferentDevices() throws {
        let code = try ClaimCode(parsing: "K7Q-PL2-9XZ")
        let first = code.hash(joinEUI: joinEUI, devEUI: devEUI)
        #expect(first != code.hash(joinEUI: joinEUI, devEUI: EUI64(devEUI.rawValue + 1)))
        #expect(first != code.hash(joinEUI: EUI64(joinEUI.rawValue + 1), devEUI: devEUI))
        #expect(first != code.hash(joinEUI: devEUI, devEUI: joinEUI))
    }

    @Test("a code matches its own hash and no other code's, case-sensitively")
    func matching() throws {
        let code = try ClaimCode(parsing: "K7Q-PL2-9XZ")
        let stored = code.hash(joinEUI: joinEUI, devEUI: devEUI)
        #expect(code.matches(stored, joinEUI: joinEUI, devEUI: devEUI))
        #expect(!(try ClaimCode(parsing: "k7q-pl2-9xz")).matches(stored, joinEUI: joinEUI, devEUI: devEUI))
        #expect(!(try ClaimCode(parsing: "K7Q-PL2-9XY")).matches(stored, joinEUI: joinEUI, devEUI: devEUI))
        #expect(!code.matches(stored, joinEUI: joinEUI, devEUI: EUI64(devEUI.rawValue + 1)))
        #expect(!code.matches([], joinEUI: joinEUI, devEUI: devEUI))
        #expect(!code.matches(Array(stored.dropLast()), joinEUI: joinEUI, devEUI: devEUI))
    }

    @Test("constant-time equality agrees with ==")
    func constantTimeEquality() {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let count = Int.random(in: 0...40, using: &random)
            let a = random.bytes(count)
            var b = a
            if !b.isEmpty, Bool.random(using: &random) { b[Int.random(in: b.indices, using: &random)] ^= UInt8.random(in: 1...255, using: &random) }
            if Int.random(in: 0..<10, using: &random) == 0 { b.append(0) }
            #expect(ConstantTime.equal(a, b) == (a == b))
        }
        #expect(ConstantTime.equal([], []))
    }

    @Test("a claim code never prints, reflects or dumps")
    func redacted() throws {
        let code = try ClaimCode(parsing: "K7Q-PL2-9XZ")
        var dumped = ""
        dump(code, to: &dumped)
        for text in ["\(code)", String(reflecting: code), dumped, "\([code])"] {
            #expect(!text.contains("K7Q"), "\(text)")
        }
        #expect(!"\(ClaimCodeError.invalidCharacter(position: 4))".contains("K7Q"))
    }
}
