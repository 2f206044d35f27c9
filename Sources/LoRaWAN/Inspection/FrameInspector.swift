/// Decodes a frame and, with whatever keys are given, checks its MIC and decrypts what those keys open.
/// Pure: the CLI's `frame decode` and the web console format its `FrameReport`.
public enum FrameInspector {
    public static func inspect(_ bytes: [UInt8], with input: FrameInspectionInput = FrameInspectionInput()) throws(FrameError) -> FrameReport {
        let payload = try PHYPayload(decoding: bytes)
        var report = FrameReport(phyPayload: bytes, mType: payload.mType)
        switch payload {
        case .data(let frame): inspectData(frame, bytes: bytes, input: input, into: &report)
        case .joinRequest(let request): inspectJoinRequest(request, input: input, into: &report)
        case .rejoinRequest(let request): inspectRejoinRequest(request, input: input, into: &report)
        case .joinAccept(let accept): try inspectJoinAccept(accept, input: input, into: &report)
        case .proprietary(let body):
            report.proprietaryPayload = Hex.encode(body)
            report.notes.append("proprietary frames have a vendor-defined layout and no standard MIC")
        }
        return report
    }

    private static func inspectData(_ frame: DataFrame, bytes: [UInt8], input: FrameInspectionInput, into report: inout FrameReport) {
        report.mic = frame.mic.description
        report.devAddr = frame.devAddr.description
        report.direction = frame.direction.description
        report.confirmed = frame.confirmed
        switch frame.fCtrl {
        case .uplink(let f):
            report.fCtrl = .init(adr: f.adr, adrAckReq: f.adrAckReq, ack: f.ack, classB: f.classB, fOptsLen: frame.fOpts.count)
        case .downlink(let f):
            report.fCtrl = .init(adr: f.adr, ack: f.ack, fPending: f.fPending, fOptsLen: frame.fOpts.count)
        }
        report.fCnt16 = Int(frame.fCnt16)
        report.fOpts = Hex.encode(frame.fOpts)
        report.fPort = frame.fPort.map(Int.init)
        report.frmPayload = Hex.encode(frame.frmPayload)

        let fCnt: UInt32
        if let given = input.fCnt {
            guard UInt16(truncatingIfNeeded: given) == frame.fCnt16 else {
                report.notes.append("--fcnt \(given) does not end in the frame's 16-bit counter \(frame.fCnt16); it was not used")
                report.fCnt = Int(frame.fCnt16)
                return inspectDataKeys(frame, bytes: bytes, fCnt: UInt32(frame.fCnt16), input: input, into: &report)
            }
            fCnt = given
        } else {
            fCnt = UInt32(frame.fCnt16)
            report.notes.append("32-bit FCnt assumed to be \(fCnt); give --fcnt when the device has sent more than 65535 frames")
        }
        report.fCnt = Int(fCnt)
        inspectDataKeys(frame, bytes: bytes, fCnt: fCnt, input: input, into: &report)
    }

    private static func inspectDataKeys(_ frame: DataFrame, bytes: [UInt8], fCnt: UInt32, input: FrameInspectionInput, into report: inout FrameReport) {
        let keys = input.networkSessionKeys
        let canCheckMIC: Bool = switch (input.version, frame.direction) {
        case (.v1_0, _): input.nwkSKey != nil
        case (.v1_1, .uplink): input.fNwkSIntKey != nil && input.sNwkSIntKey != nil
        case (.v1_1, .downlink): input.sNwkSIntKey != nil
        }
        if let keys, canCheckMIC {
            report.micValid = (try? DataFrameCrypto.verifyMIC(frame: bytes, fCnt: fCnt, keys: keys, micParameters: input.micParameters)) ?? false
            report.micCheckedWith = input.version == .v1_0
                ? "NwkSKey (LoRaWAN 1.0)"
                : frame.direction == .uplink ? "FNwkSIntKey + SNwkSIntKey (LoRaWAN 1.1)" : "SNwkSIntKey (LoRaWAN 1.1)"
        } else {
            report.notes.append(input.version == .v1_0
                ? "MIC not checked: give --nwk-s-key"
                : "MIC not checked: give --s-nwk-s-int-key (and --f-nwk-s-int-key for uplinks)")
        }

        // FOpts: clear in 1.0, encrypted with NwkSEncKey in 1.1.
        var fOpts = frame.fOpts
        if input.version == .v1_1, !fOpts.isEmpty {
            if let nwkSEncKey = input.nwkSEncKey {
                let counter: DownlinkCounter = (frame.fPort ?? 0) > 0 ? .aFCntDown : .nFCntDown
                fOpts = (try? PayloadCipher.cryptFOpts(
                    fOpts, key: nwkSEncKey, variant: input.fOptsVariant, direction: frame.direction, devAddr: frame.devAddr,
                    fCnt: fCnt, downlinkCounter: counter)) ?? fOpts
                report.fOptsDecrypted = Hex.encode(fOpts)
            } else {
                report.notes.append("FOpts are encrypted in LoRaWAN 1.1: give --nwk-s-enc-key")
                fOpts = []
            }
        }
        if !fOpts.isEmpty { report.fOptsMACCommands = describeMACCommands(fOpts, direction: frame.direction) }

        guard let fPort = frame.fPort, !frame.frmPayload.isEmpty else { return }
        var clear: [UInt8]?
        if fPort == 0 {
            switch input.version {
            case .v1_0: clear = input.nwkSKey.map { PayloadCipher.cryptFRMPayload(frame.frmPayload, key: $0, direction: frame.direction, devAddr: frame.devAddr, fCnt: fCnt) }
            case .v1_1: clear = input.nwkSEncKey.map { PayloadCipher.cryptFRMPayload(frame.frmPayload, key: $0, direction: frame.direction, devAddr: frame.devAddr, fCnt: fCnt) }
            }
            if clear == nil { report.notes.append("FPort 0 payload not decrypted: give --\(input.version == .v1_0 ? "nwk-s-key" : "nwk-s-enc-key")") }
        } else {
            clear = input.appSKey.map { PayloadCipher.cryptFRMPayload(frame.frmPayload, key: $0, direction: frame.direction, devAddr: frame.devAddr, fCnt: fCnt) }
            if clear == nil { report.notes.append("FRMPayload not decrypted: give --app-s-key") }
        }
        guard let clear else { return }
        report.frmPayloadDecrypted = Hex.encode(clear)
        if fPort == 0 { report.frmPayloadMACCommands = describeMACCommands(clear, direction: frame.direction) }
    }

    private static func describeMACCommands(_ bytes: [UInt8], direction: Direction) -> [String] {
        do throws(FrameError) {
            return direction == .uplink
                ? try MACCommandCodec.decodeUplink(bytes).map(\.description)
                : try MACCommandCodec.decodeDownlink(bytes).map(\.description)
        } catch {
            return ["undecodable MAC commands: \(error)"]
        }
    }

    private static func inspectJoinRequest(_ request: JoinRequest, input: FrameInspectionInput, into report: inout FrameReport) {
        report.mic = request.mic.description
        report.joinEUI = request.joinEUI.description
        report.devEUI = request.devEUI.description
        report.devNonce = Int(request.devNonce.rawValue)
        let message = request.encodedWithoutMIC
        if input.version == .v1_1, let nwkKey = input.nwkKey {
            report.micValid = JoinMIC.computeJoinRequestMIC(nwkKey: nwkKey, message: message) == request.mic
            report.micCheckedWith = "NwkKey (LoRaWAN 1.1)"
        } else if let appKey = input.appKey {
            report.micValid = JoinMIC.computeLegacyJoinRequestMIC(appKey: appKey, message: message) == request.mic
            report.micCheckedWith = "AppKey (LoRaWAN 1.0)"
        } else if let nwkKey = input.nwkKey {
            report.micValid = JoinMIC.computeJoinRequestMIC(nwkKey: nwkKey, message: message) == request.mic
            report.micCheckedWith = "NwkKey (LoRaWAN 1.1)"
        } else {
            report.notes.append("MIC not checked: give --app-key (1.0) or --nwk-key (1.1)")
        }
    }

    private static func inspectRejoinRequest(_ request: RejoinRequest, input: FrameInspectionInput, into report: inout FrameReport) {
        report.mic = request.mic.description
        report.rejoinType = Int(request.rejoinType)
        report.devEUI = request.devEUI.description
        report.rjCount = Int(request.rjCount.rawValue)
        switch request {
        case .type0(let netID, _, _, _), .type2(let netID, _, _, _):
            report.netID = netID.description
            if let key = input.sNwkSIntKey {
                report.micValid = JoinMIC.computeRejoinRequestMIC(sNwkSIntKey: key, message: request.encodedWithoutMIC) == request.mic
                report.micCheckedWith = "SNwkSIntKey"
            } else {
                report.notes.append("MIC not checked: give --s-nwk-s-int-key")
            }
        case .type1(let joinEUI, let devEUI, _, _):
            report.joinEUI = joinEUI.description
            if let nwkKey = input.nwkKey {
                let jsIntKey = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: nwkKey, devEUI: devEUI).jsIntKey
                report.micValid = JoinMIC.computeRejoinRequestMIC(jsIntKey: jsIntKey, message: request.encodedWithoutMIC) == request.mic
                report.micCheckedWith = "JSIntKey (derived from NwkKey)"
            } else {
                report.notes.append("MIC not checked: give --nwk-key")
            }
        }
    }

    private static func inspectJoinAccept(_ accept: EncryptedJoinAccept, input: FrameInspectionInput, into report: inout FrameReport) throws(FrameError) {
        report.encryptedPayload = Hex.encode(accept.bytes.dropFirst())
        let decoded: JoinAccept
        if input.version == .v1_1, let nwkKey = input.nwkKey {
            decoded = try accept.decrypt(key: nwkKey)
        } else if let appKey = input.appKey {
            decoded = try accept.decrypt(key: appKey)
        } else if let nwkKey = input.nwkKey {
            decoded = try accept.decrypt(key: nwkKey)
        } else {
            report.notes.append("join-accept is encrypted: give --app-key (1.0) or --nwk-key (1.1)")
            return
        }
        report.mic = decoded.mic.description
        report.joinAccept = .init(
            joinNonce: Int(decoded.joinNonce.rawValue), homeNetID: decoded.homeNetID.description,
            devAddr: decoded.devAddr.description, optNeg: decoded.dlSettings.optNeg,
            rx1DROffset: Int(decoded.dlSettings.rx1DROffset), rx2DataRate: Int(decoded.dlSettings.rx2DataRate),
            rxDelay: Int(decoded.rxDelay), cfList: decoded.cfList.map { Hex.encode($0.bytes) },
            cfListType: decoded.cfList.map { Int($0.cfListType) })
        let message = decoded.encodedWithoutMIC
        if decoded.dlSettings.optNeg {
            guard let nwkKey = input.nwkKey, let joinEUI = input.joinEUI, let devEUI = input.devEUI, let devNonce = input.devNonce else {
                report.notes.append("OptNeg is set: the MIC needs --nwk-key, --join-eui, --dev-eui and --dev-nonce of the join-request")
                return
            }
            let jsIntKey = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: nwkKey, devEUI: devEUI).jsIntKey
            report.micValid = JoinMIC.computeJoinAcceptMIC(
                jsIntKey: jsIntKey, joinReqType: .joinRequest, joinEUI: joinEUI, devNonce: devNonce.rawValue, message: message) == decoded.mic
            report.micCheckedWith = "JSIntKey (LoRaWAN 1.1, OptNeg=1)"
        } else if input.version == .v1_1, let nwkKey = input.nwkKey {
            report.micValid = JoinMIC.computeLegacyJoinAcceptMIC(key: nwkKey, message: message) == decoded.mic
            report.micCheckedWith = "NwkKey (LoRaWAN 1.1 device, OptNeg=0)"
        } else if let appKey = input.appKey {
            report.micValid = JoinMIC.computeLegacyJoinAcceptMIC(key: appKey, message: message) == decoded.mic
            report.micCheckedWith = "AppKey (LoRaWAN 1.0)"
        } else if let nwkKey = input.nwkKey {
            report.micValid = JoinMIC.computeLegacyJoinAcceptMIC(key: nwkKey, message: message) == decoded.mic
            report.micCheckedWith = "NwkKey (OptNeg=0)"
        }
    }
}
