import Foundation
import LoRaWAN
import NetworkServer
import Testing

/// What operators read: every reason, notice and error is a sentence, and none carries key material.
@Suite("Descriptions")
struct DescriptionTests {
    @Test("drop reasons, counter decisions, MAC notices and downlink errors all say something")
    func sentences() throws {
        let stop = MACCommandParseStop(offset: 1, ignoredByteCount: 2, error: .unknownMACCommand(cid: 0x7F, direction: "uplink"))
        let margin = try #require(DevStatusMargin(decibels: 3))
        let texts: [String] = [
            UplinkDropReason.malformed(.micMismatch), .lateCopy, .unknownDevAddr(Fixture.devAddr), .micFailed(candidates: 1),
            .replay(fCnt: 3), .gapTooLarge(fCnt: 99_999, gap: 99_000), .macCommandsMalformed(stop),
        ].flatMap { [$0.description, $0.metricLabel] }
            + [FrameCounterDecision.new(1), .retransmission(1), .replay(1), .gapTooLarge(2, gap: 20_000)].map(\.description)
            + [MACCommandNotice.requestAccepted(.devStatusReq), .requestRejected(.devStatusReq, answer: .dutyCycleAns),
               .requestUnanswered(.devStatusReq), .unsolicitedAnswer(.dutyCycleAns), .ignored(.beaconTimingReq, reason: "old"),
               .deviceStatus(DeviceStatus(battery: .externalPower, margin: margin, fCnt: 1)), .rekeyIndicated(minor: .lorawan1_1),
               .resetIndicated(minor: .lorawan1_1), .deviceClassChanged(.classC)].map(\.description)
            + [DownlinkFrameError.tooLongForDataRate(.dr0, maximumMACPayload: 59, actualMACPayload: 60),
               .macCommandsTooLongForFOpts(length: 16), .sessionMismatch(downlinkID: UUID()),
               .applicationCounterAlreadyUsed(fCnt: 1, next: 2, counter: .aFCntDown), .counterExhausted(.nFCntDown),
               .applicationFPortZero(downlinkID: UUID()), .regional(.unknownDataRate(.eu868, .dr15)), .frame(.micMismatch)]
                .map(\.description)
            + [NetworkSessionError.keysDoNotMatchVersion(.v1_1), .keysDoNotMatchVersion(.v1_0_2),
               .countersDoNotMatchVersion(.v1_1), .countersDoNotMatchVersion(.v1_0_2)].map(\.description)
            + [stop.description, DownlinkFrameCounters.separate(nFCntDown: 1, aFCntDown: 2).description]
        for text in texts {
            #expect(text.count > 3, "\(text)")
        }
    }
}
