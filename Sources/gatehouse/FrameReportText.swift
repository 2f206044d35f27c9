import LoRaWAN

/// The human-readable form of a `FrameReport`: one `field: value` line each, in wire order.
enum FrameReportText {
    static func render(_ r: FrameReport) -> String {
        var lines: [(String, String)] = [("PHYPayload", r.phyPayload), ("MType", r.mType), ("Major", "LoRaWAN R1")]
        func add(_ name: String, _ value: String?) { if let value { lines.append((name, value)) } }
        add("DevAddr", r.devAddr)
        add("Direction", r.direction)
        add("Confirmed", r.confirmed.map { $0 ? "yes" : "no" })
        if let f = r.fCtrl {
            var flags = ["ADR=\(f.adr ? 1 : 0)", "ACK=\(f.ack ? 1 : 0)", "FOptsLen=\(f.fOptsLen)"]
            if let a = f.adrAckReq { flags.insert("ADRACKReq=\(a ? 1 : 0)", at: 1) }
            if let b = f.classB { flags.append("ClassB=\(b ? 1 : 0)") }
            if let p = f.fPending { flags.append("FPending=\(p ? 1 : 0)") }
            add("FCtrl", flags.joined(separator: " "))
        }
        add("FCnt (16-bit)", r.fCnt16.map(String.init))
        add("FCnt (32-bit)", r.fCnt.map(String.init))
        add("FOpts", r.fOpts.map { $0.isEmpty ? "(none)" : $0 })
        add("FOpts (decrypted)", r.fOptsDecrypted)
        r.fOptsMACCommands?.forEach { add("  MAC command", $0) }
        add("FPort", r.fPort.map(String.init) ?? (r.devAddr != nil ? "(none)" : nil))
        add("FRMPayload", r.frmPayload.map { $0.isEmpty ? "(empty)" : $0 })
        add("FRMPayload (decrypted)", r.frmPayloadDecrypted)
        r.frmPayloadMACCommands?.forEach { add("  MAC command", $0) }
        add("JoinEUI", r.joinEUI)
        add("DevEUI", r.devEUI)
        add("DevNonce", r.devNonce.map(String.init))
        add("RejoinType", r.rejoinType.map(String.init))
        add("NetID", r.netID)
        add("RJcount", r.rjCount.map(String.init))
        add("Encrypted payload", r.encryptedPayload)
        if let a = r.joinAccept {
            add("JoinNonce", String(a.joinNonce))
            add("Home_NetID", a.homeNetID)
            add("DevAddr", a.devAddr)
            add("DLSettings", "OptNeg=\(a.optNeg ? 1 : 0) RX1DROffset=\(a.rx1DROffset) RX2DataRate=\(a.rx2DataRate)")
            add("RxDelay", "\(a.rxDelay)")
            add("CFList", a.cfList.map { "\($0) (type \(a.cfListType ?? 0))" } ?? "(none)")
        }
        add("Proprietary payload", r.proprietaryPayload)
        add("MIC", r.mic)
        if let valid = r.micValid { add("MIC check", (valid ? "valid" : "INVALID") + (r.micCheckedWith.map { " (\($0))" } ?? "")) }
        r.notes.forEach { add("Note", $0) }
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}

import Foundation
