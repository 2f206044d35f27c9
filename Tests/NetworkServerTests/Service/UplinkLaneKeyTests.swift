import LoRaWAN
@testable import NetworkServer
import Testing

/// Which frames must be processed one after another: those that can change the same device's state.
@Suite struct UplinkLaneKeyTests {
    @Test("data uplinks are keyed by their DevAddr, whatever their FCnt or confirmation")
    func dataUplinksByDevAddr() throws {
        let session = try Fixture.session(devAddr: DevAddr(0x2601_ABCD))
        let first = UplinkLaneKey(phyPayload: try Fixture.uplink(for: session, fCnt: 1))
        let second = UplinkLaneKey(phyPayload: try Fixture.uplink(for: session, fCnt: 2, confirmed: true))
        #expect(first == .devAddr(DevAddr(0x2601_ABCD)))
        #expect(second == first)
    }

    @Test("join-requests are keyed by their DevEUI")
    func joinRequestsByDevEUI() {
        let request = JoinRequest(joinEUI: EUI64(0x70B3_D57E_D000_0001), devEUI: Fixture.devEUI, devNonce: DevNonce(7))
        #expect(UplinkLaneKey(phyPayload: request.encode()) == .devEUI(Fixture.devEUI))
    }

    @Test("anything else is a lane of its own")
    func everythingElseAlone() {
        let proprietary: [UInt8] = [0xE0, 1, 2, 3]
        let truncated: [UInt8] = [0x40, 0x01, 0x02]
        let badHeader: [UInt8] = [0x41, 1, 2, 3, 4, 5]
        for bytes in [proprietary, truncated, badHeader, []] {
            #expect(UplinkLaneKey(phyPayload: bytes) == .frame(bytes))
        }
    }
}
