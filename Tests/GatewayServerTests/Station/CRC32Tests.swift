import GatewayServer
import Testing

@Suite("CRC-32")
struct CRC32Tests {
    @Test("the CRC-32 of 12 zero bytes is Basics Station's 'no credential files' value")
    func twelveZeroBytes() {
        #expect(CRC32.checksum([UInt8](repeating: 0, count: 12)) == 2_077_607_535)
    }

    @Test("the CRC-32 of '123456789' is the IEEE check value 0xCBF43926")
    func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("an empty input has CRC 0, and feeding in pieces equals feeding at once")
    func incremental() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        let text = Array("The quick brown fox jumps over the lazy dog".utf8)
        var crc = CRC32()
        crc.update(text[..<10])
        crc.update(text[10...])
        #expect(crc.value == CRC32.checksum(text))
        #expect(crc.value == 0x414F_A339)
    }
}
