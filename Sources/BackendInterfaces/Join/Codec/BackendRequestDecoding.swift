import LoRaWAN
import StrictJSON

extension BackendRequest {
    /// Reads a request body as a Join Server must (reference §2, §7): hex in either case with or
    /// without `0x`, every `MACVersion` spelling, unknown members ignored; and refuses the rest with
    /// the answer to give (reference §3.6, §4; see ``BackendDecodingFailure``).
    ///
    /// The checks run in the order a failure is answered: what makes the body answerable at all
    /// (size, JSON object, a request `MessageType`), then `ProtocolVersion`, the other header members,
    /// the NSID rule of the version, and last the fields of the message, the first bad one named.
    public init(decoding body: [UInt8]) throws(BackendDecodingFailure) {
        guard body.count <= Self.maximumBodySize else {
            throw .unanswerable("the body is \(body.count) bytes, more than \(Self.maximumBodySize)")
        }
        let json: JSONValue
        do {
            json = try BackendJSON.parse(body)
        } catch {
            throw .unanswerable("the body is not JSON: \(error.reason) at byte \(error.offset)")
        }
        guard case .object(let object) = json else { throw .unanswerable("the body is \(json.kindDescription), not a JSON object") }
        let fields = BackendJSONFields(object)
        let messageType = try Self.requestType(in: fields)
        let header = try BackendRequestHeaderReader.read(fields, messageType: messageType)
        do throws(BackendFieldError) {
            switch messageType {
            case .rejoinReq: self = .rejoin(try Self.joinReq(fields, header: header))
            case .appSKeyReq:
                self = .appSKey(AppSKeyReq(
                    header: header, devEUI: try fields.requiredEUI64("DevEUI"),
                    sessionKeyID: try fields.requiredHex("SessionKeyID", count: BackendFieldLimits.sessionKeyIDBytes)))
            case .homeNSReq: self = .homeNS(HomeNSReq(header: header, devEUI: try fields.requiredEUI64("DevEUI")))
            // `requestType` returns requests only; JoinReq is the one left.
            case .joinReq, .joinAns, .rejoinAns, .appSKeyAns, .homeNSAns: self = .join(try Self.joinReq(fields, header: header))
            }
        } catch {
            throw .answerable(header: header, result: BackendResult(.malformedRequest, error.description))
        }
    }

    /// `MessageType`, which decides whether there is an answer at all: without a request type there is
    /// no answer type to address one with (The Things Stack answers HTTP 400 then, reference §4).
    private static func requestType(in fields: BackendJSONFields) throws(BackendDecodingFailure) -> BackendMessageType {
        let text: String
        do {
            text = try fields.requiredString("MessageType")
        } catch {
            throw .unanswerable(error.description)
        }
        guard let type = BackendMessageType(rawValue: text) else {
            throw .unanswerable("MessageType \(BackendFieldError.quoted(text)) is not a message a Join Server answers")
        }
        guard type.answerType != nil else { throw .unanswerable("MessageType \(type.rawValue) is an answer, not a request") }
        return type
    }

    /// The fields of `JoinReq` and `RejoinReq` (reference §3.1). The PHYPayload's length for its
    /// message type is the Join Server's to check; here it only has to be 1 to 64 bytes of hex.
    private static func joinReq(_ fields: BackendJSONFields, header: BackendHeader) throws(BackendFieldError) -> JoinReq {
        let macVersionText = try fields.requiredString("MACVersion")
        guard let macVersion = MACVersion(spelling: macVersionText) else {
            throw fields.failure("MACVersion", "\(BackendFieldError.quoted(macVersionText)) is not 1.0, 1.0.0 to 1.0.4, 1.1 or 1.1.0")
        }
        let phyPayload = try fields.requiredHex("PHYPayload", count: BackendFieldLimits.phyPayloadBytes)
        let devEUI = try fields.requiredEUI64("DevEUI")
        let devAddr = DevAddr(try fields.requiredHex("DevAddr", count: 4...4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        let dlSettings = DLSettings(byte: try fields.requiredHex("DLSettings", count: 1...1)[0])
        let rxDelay = UInt8(try fields.requiredInteger("RxDelay", in: 0...15))
        var cfList: CFList?
        if let bytes = try fields.optionalHex("CFList", count: 16...16) {
            do {
                cfList = try CFList(bytes: bytes)
            } catch {
                throw fields.failure("CFList", "must be 32 hex digits")
            }
        }
        return JoinReq(
            header: header, macVersion: macVersion, phyPayload: phyPayload, devEUI: devEUI, devAddr: devAddr,
            dlSettings: dlSettings, rxDelay: rxDelay, cfList: cfList)
    }
}
