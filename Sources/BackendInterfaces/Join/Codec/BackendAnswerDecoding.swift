import LoRaWAN
import StrictJSON

extension BackendAnswer {
    /// Reads a Join Server's answer (the client side, ``HTTPJoinService``). Lenient where peers
    /// differ (hex case and `0x`, `null` or `""` for an absent field, `Result` as a bare string as
    /// The Things Stack once sent it, result codes outside 1.0's list), strict about the header.
    public init(decoding body: [UInt8]) throws(BackendAnswerDecodingError) {
        guard body.count <= Self.maximumBodySize else { throw .tooLarge(size: body.count, limit: Self.maximumBodySize) }
        let json: JSONValue
        do {
            json = try BackendJSON.parse(body)
        } catch {
            throw .invalidJSON("\(error.reason) at byte \(error.offset)")
        }
        guard case .object(let object) = json else { throw .invalidJSON("it is \(json.kindDescription)") }
        let fields = BackendJSONFields(object)
        let messageType: BackendMessageType
        do throws(BackendFieldError) {
            let text = try fields.requiredString("MessageType")
            guard let type = BackendMessageType(rawValue: text), type.answerType == nil else {
                throw fields.failure("MessageType", "\(BackendFieldError.quoted(text)) is not an answer")
            }
            messageType = type
        } catch {
            throw .notAnAnswer(error.description)
        }
        do throws(BackendFieldError) {
            let header = try Self.header(fields, messageType: messageType)
            let result = try Self.result(fields)
            switch messageType {
            case .rejoinAns: self = .rejoin(try Self.joinAns(fields, header: header, result: result))
            case .appSKeyAns:
                self = .appSKey(AppSKeyAns(
                    header: header, result: result, devEUI: try fields.optionalEUI64("DevEUI"),
                    appSKey: try Self.keyEnvelope(fields, "AppSKey"),
                    sessionKeyID: try fields.optionalHex("SessionKeyID", count: BackendFieldLimits.sessionKeyIDBytes)))
            case .homeNSAns:
                let hNetID = try fields.optionalHex("HNetID", count: 3...3).flatMap { NetID($0.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
                self = .homeNS(HomeNSAns(header: header, result: result, hNetID: hNetID, hNSID: try fields.optionalEUI64("HNSID")))
            // Only answer types pass the check above; JoinAns is the one left.
            case .joinAns, .joinReq, .rejoinReq, .appSKeyReq, .homeNSReq:
                self = .join(try Self.joinAns(fields, header: header, result: result))
            }
        } catch {
            throw .malformedField(field: error.field, reason: error.reason)
        }
    }

    private static func header(_ fields: BackendJSONFields, messageType: BackendMessageType) throws(BackendFieldError) -> BackendHeader {
        let versionText = try fields.requiredString("ProtocolVersion")
        guard let version = BackendProtocolVersion(rawValue: versionText) else {
            throw fields.failure("ProtocolVersion", "\(BackendFieldError.quoted(versionText)) is not 1.0 or 1.1")
        }
        return BackendHeader(
            protocolVersion: version, senderID: try fields.requiredString("SenderID"),
            receiverID: try fields.requiredString("ReceiverID"),
            transactionID: UInt32(try fields.requiredInteger("TransactionID", in: 0...Int64(UInt32.max))),
            messageType: messageType, senderNSID: try fields.optionalEUI64("SenderNSID"),
            receiverNSID: try fields.optionalEUI64("ReceiverNSID"))
    }

    /// `Result`: an object `{ResultCode, Description?}`, or a bare code string.
    private static func result(_ fields: BackendJSONFields) throws(BackendFieldError) -> BackendResult {
        if case .string(let code)? = fields.value("Result") { return resultCode(code, detail: nil) }
        guard let result = try fields.optionalObject("Result") else { throw fields.failure("Result", "is missing") }
        let detail = try result.optionalString("Description").flatMap { $0.isEmpty ? nil : $0 }
        return resultCode(try result.requiredString("ResultCode"), detail: detail)
    }

    /// Maps the codes other versions and peers send onto 1.0's list (reference §4): 1.1's
    /// `MalformedMessage` is 1.0's `MalformedRequest`, BR's `RoamingActDisallowedA` a typo; any other
    /// unknown code is a failure of some kind, `Other`, with the code kept in the description.
    private static func resultCode(_ text: String, detail: String?) -> BackendResult {
        if let code = BackendResultCode(wireName: text) { return BackendResult(code, detail) }
        switch text {
        case "MalformedMessage": return BackendResult(.malformedRequest, detail)
        case "RoamingActDisallowedA": return BackendResult(.roamingActDisallowed, detail)
        default:
            let unknown = "ResultCode \(BackendFieldError.quoted(text))"
            return BackendResult(.other, detail.map { "\(unknown): \($0)" } ?? unknown)
        }
    }

    private static func joinAns(_ fields: BackendJSONFields, header: BackendHeader, result: BackendResult) throws(BackendFieldError) -> JoinAns {
        JoinAns(
            header: header, result: result,
            phyPayload: try fields.optionalHex("PHYPayload", count: BackendFieldLimits.phyPayloadBytes),
            lifetime: try fields.optionalInteger("Lifetime", in: 0...Int64(UInt32.max)).map { UInt32($0) },
            nwkSKey: try keyEnvelope(fields, "NwkSKey"), fNwkSIntKey: try keyEnvelope(fields, "FNwkSIntKey"),
            sNwkSIntKey: try keyEnvelope(fields, "SNwkSIntKey"), nwkSEncKey: try keyEnvelope(fields, "NwkSEncKey"),
            appSKey: try keyEnvelope(fields, "AppSKey"),
            sessionKeyID: try fields.optionalHex("SessionKeyID", count: BackendFieldLimits.sessionKeyIDBytes))
    }

    /// `{"KEKLabel", "AESKey"}`; a missing label means a key in clear, as an empty one does.
    private static func keyEnvelope(_ fields: BackendJSONFields, _ member: String) throws(BackendFieldError) -> KeyEnvelope? {
        guard let envelope = try fields.optionalObject(member) else { return nil }
        return KeyEnvelope(
            kekLabel: try envelope.optionalString("KEKLabel") ?? "",
            aesKey: try envelope.requiredHex("AESKey", count: BackendFieldLimits.aesKeyBytes))
    }
}
