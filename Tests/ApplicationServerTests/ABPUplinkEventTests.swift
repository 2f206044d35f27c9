import ApplicationServer
import Foundation
import LoRaWAN
import Testing

/// An ABP device's uplink events say it is insecure; an OTAA device's keep their documented bytes.
@Suite("ABP uplink events")
struct ABPUplinkEventTests {
    @Test("an ABP session's uplink event ends with \"activation\":\"ABP\",\"insecure\":true; an OTAA one has neither")
    func insecureMarker() throws {
        var abp = Fixtures.session
        abp.isABP = true
        let abpEvent = try UplinkDecryption.decrypt(Fixtures.uplink(), session: abp, applicationID: Fixtures.applicationID)
        #expect(abpEvent.isABP && abpEvent.payload == [0x01, 0x02, 0x03])
        let otaa = ApplicationEvent.uplink(try UplinkDecryption.decrypt(Fixtures.uplink(), session: Fixtures.session, applicationID: Fixtures.applicationID))
        let marked = ApplicationEvent.uplink(abpEvent).json
        // The OTAA bytes, with the two members appended before the closing brace.
        #expect(marked == String(otaa.json.dropLast()) + #","activation":"ABP","insecure":true}"#)
        #expect(!otaa.json.contains("activation") && !otaa.json.contains("insecure"))
    }

    @Test("an ABP session says so in its description, never its key")
    func description() {
        var abp = Fixtures.session
        abp.isABP = true
        #expect(abp.description.contains("ABP, AppSKey: <redacted>"))
        #expect(!abp.description.lowercased().contains(Hex.encode(Fixtures.appSKeyBytes).lowercased()))
    }
}
