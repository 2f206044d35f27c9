import LoRaWAN
import Testing

@Suite("Frame inspector")
struct FrameInspectorTests {
    @Test("a 1.0 uplink with keys shows a valid MIC and the clear payload")
    func legacyUplink() throws {
        let report = try FrameInspector.inspect(
            Hex.decode("40f17dbe4900020001954378762b11ff0d")!,
            with: FrameInspectionInput(
                nwkSKey: try NwkSKey(parsing: "44024241ed4ce9a68c6a8bc055233fd3"),
                appSKey: try AppSKey(parsing: "ec925802ae430ca77fd3dd73cb2cc588")))
        #expect(report.micValid == true)
        #expect(report.devAddr == "49BE7DF1")
        #expect(report.frmPayloadDecrypted == "74657374")
    }

    @Test("without keys nothing is claimed about the MIC, and the note says which key is missing")
    func noKeys() throws {
        let report = try FrameInspector.inspect(Hex.decode("40f17dbe4900020001954378762b11ff0d")!)
        #expect(report.micValid == nil)
        #expect(report.notes.contains { $0.contains("--nwk-s-key") })
    }

    @Test("a wrong key gives an invalid MIC")
    func wrongKey() throws {
        let report = try FrameInspector.inspect(
            Hex.decode("40f17dbe4900020001954378762b11ff0d")!,
            with: FrameInspectionInput(nwkSKey: try NwkSKey(parsing: "00024241ed4ce9a68c6a8bc055233fd3")))
        #expect(report.micValid == false)
    }

    @Test("the Backend Interfaces 1.0.3 join-accept decrypts with the AppKey and its MIC verifies")
    func joinAccept10() throws {
        let report = try FrameInspector.inspect(
            Hex.decode("20DB1B4252BC5D64C40DC177BC347D6EA0FA93FCCBB75DCA91160FDC0ECCD24CC4")!,
            with: FrameInspectionInput(appKey: try AppKey(parsing: "030af76db4a9d1de4772a5955ba7f65a")))
        let accept = try #require(report.joinAccept)
        #expect(accept.joinNonce == 0xCEC832)
        #expect(accept.homeNetID == "000031")
        #expect(accept.devAddr == "62404A3E")
        #expect(accept.cfList == "184f84e85684b85e84886684586e8400")
        #expect(report.micValid == true)
    }

    @Test("the Backend Interfaces 1.1 join-accept (OptNeg) verifies under JSIntKey")
    func joinAccept11() throws {
        let report = try FrameInspector.inspect(
            Hex.decode("201106B3CB2A832455BB0A97224F2B38BD75A849045572C99D09F42F73E8170F55")!,
            with: FrameInspectionInput(
                version: .v1_1, nwkKey: try NwkKey(parsing: "4db60d675f3c1f10ee145421915f62ee"),
                joinEUI: try EUI64(parsing: "F93FA7142977F04B"), devEUI: try EUI64(parsing: "887712B913797B9A"), devNonce: DevNonce(12)))
        #expect(report.joinAccept?.optNeg == true)
        #expect(report.micValid == true)
    }

    @Test("a join-request MIC verifies with the AppKey")
    func joinRequest() throws {
        let report = try FrameInspector.inspect(
            Hex.decode("00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08bdc")!,
            with: FrameInspectionInput(appKey: try AppKey(parsing: "030af76db4a9d1de4772a5955ba7f65a")))
        #expect(report.joinEUI == "9F4B5BB0A4148AED")
        #expect(report.devEUI == "0E6D1128609D82BE")
        #expect(report.devNonce == 0x2C5A)
        #expect(report.micValid == true)
    }

    @Test("1.1 FOpts are decrypted and listed as MAC commands")
    func encryptedFOpts() throws {
        let report = try FrameInspector.inspect(
            Hex.decode("6004030201030000dfb4f1e24f1f9f")!,
            with: FrameInspectionInput(
                version: .v1_1, sNwkSIntKey: try SNwkSIntKey(parsing: "02020202020202020202020202020202"),
                nwkSEncKey: try NwkSEncKey(parsing: "02020202020202020202020202020204"), fOptsVariant: .errata))
        #expect(report.micValid == true)
        #expect(report.fOptsDecrypted == "020701")
        #expect(report.fOptsMACCommands?.first?.hasPrefix("LinkCheckAns") == true)
    }
}
