import ArgumentParser
import Foundation
import LoRaWAN

/// `gatehouse frame`: look inside LoRaWAN frames.
struct FrameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frame", abstract: "Inspect LoRaWAN frames.", subcommands: [Decode.self])

    /// `gatehouse frame decode HEX`: every field of a frame; with keys, the MIC verdict and the clear payload.
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode a PHYPayload (hex or base64), check its MIC and decrypt it with the keys you give.",
            discussion: "Exit status: 0 when the frame decodes (and its MIC verifies, if checked), 1 when it is invalid or its MIC fails, 2 for a usage error.")

        @Argument(help: "The PHYPayload as hex (separators allowed) or base64.") var frame: String
        @OptionGroup var keys: KeyOptions
        @Option(name: .customLong("lorawan"), help: "LoRaWAN version of the session: 1.0 or 1.1.") var version: FrameInspectionInput.Version = .v1_0
        @Option(name: .customLong("fcnt"), help: "Full 32-bit frame counter, when above 65535.") var fCnt: UInt32?
        @Option(name: .customLong("conf-fcnt"), help: "1.1: counter of the confirmed frame this one acknowledges.") var confFCnt: UInt16 = 0
        @Option(name: .customLong("tx-dr"), help: "1.1 uplink: data rate index it was received on.") var txDR: UInt8 = 0
        @Option(name: .customLong("tx-ch"), help: "1.1 uplink: channel index it was received on.") var txCh: UInt8 = 0
        @Option(name: .customLong("fopts-variant"), help: "1.1 FOpts block layout: 1.1 (as published) or 1.1.1 (errata).") var fOptsVariant: FOptsEncryptionVariant = .errata
        @Option(name: .customLong("join-eui"), help: "1.1 join-accept MIC: JoinEUI of the join-request.") var joinEUI: String?
        @Option(name: .customLong("dev-eui"), help: "1.1 join-accept MIC: DevEUI of the join-request.") var devEUI: String?
        @Option(name: .customLong("dev-nonce"), help: "1.1 join-accept MIC: DevNonce of the join-request.") var devNonce: UInt16?
        @Flag(name: .customLong("json"), help: "Print the report as JSON (field names in the README).") var json = false

        func run() throws {
            guard let bytes = Hex.decode(frame) ?? Data(base64Encoded: frame).map({ [UInt8]($0) }) else {
                throw CommandLineFailure.invalidData("the frame is neither hex nor base64")
            }
            let input = FrameInspectionInput(
                version: version, nwkSKey: try parseKey(keys.nwkSKey, "nwk-s-key"), appSKey: try parseKey(keys.appSKey, "app-s-key"),
                fNwkSIntKey: try parseKey(keys.fNwkSIntKey, "f-nwk-s-int-key"), sNwkSIntKey: try parseKey(keys.sNwkSIntKey, "s-nwk-s-int-key"),
                nwkSEncKey: try parseKey(keys.nwkSEncKey, "nwk-s-enc-key"), appKey: try parseKey(keys.appKey, "app-key"),
                nwkKey: try parseKey(keys.nwkKey, "nwk-key"), fCnt: fCnt,
                micParameters: MICParameters(confFCnt: confFCnt, txDR: txDR, txCh: txCh), fOptsVariant: fOptsVariant,
                joinEUI: try parseEUI(joinEUI, "join-eui"), devEUI: try parseEUI(devEUI, "dev-eui"), devNonce: devNonce.map(DevNonce.init))
            let report: FrameReport
            do throws(FrameError) {
                report = try FrameInspector.inspect(bytes, with: input)
            } catch {
                throw CommandLineFailure.invalidData("not a valid LoRaWAN frame: \(error)")
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(FrameReportText.render(report))
            }
            if report.micValid == false { throw CommandLineFailure.invalidData("MIC mismatch") }
        }
    }
}
