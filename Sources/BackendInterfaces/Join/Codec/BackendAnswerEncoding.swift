import LoRaWAN
import StrictJSON

extension BackendAnswer {
    /// The answer as JSON bytes, in the shape of the reference's §6 examples: exact member names,
    /// upper-case hex, `Result` as an object, absent optionals left out (never `null`), members in
    /// The Things Stack's order.
    public func encoded() -> [UInt8] {
        var object = JSONObject()
        header.appendJSONMembers(to: &object)
        object.append("Result", result.json)
        switch self {
        case .join(let answer), .rejoin(let answer):
            object.appendIfPresent("PHYPayload", answer.phyPayload.map(JSONValue.hex))
            object.appendIfPresent("Lifetime", answer.lifetime.map { .integer(Int64($0)) })
            object.appendIfPresent("NwkSKey", answer.nwkSKey?.json)
            object.appendIfPresent("FNwkSIntKey", answer.fNwkSIntKey?.json)
            object.appendIfPresent("SNwkSIntKey", answer.sNwkSIntKey?.json)
            object.appendIfPresent("NwkSEncKey", answer.nwkSEncKey?.json)
            object.appendIfPresent("AppSKey", answer.appSKey?.json)
            object.appendIfPresent("SessionKeyID", answer.sessionKeyID.map(JSONValue.hex))
        case .appSKey(let answer):
            object.appendIfPresent("DevEUI", answer.devEUI.map { .string($0.description) })
            object.appendIfPresent("AppSKey", answer.appSKey?.json)
            object.appendIfPresent("SessionKeyID", answer.sessionKeyID.map(JSONValue.hex))
        case .homeNS(let answer):
            object.appendIfPresent("HNetID", answer.hNetID.map { .string($0.description) })
            object.appendIfPresent("HNSID", answer.hNSID.map { .string($0.description) })
        }
        return JSONValue.object(object).serialized
    }
}

extension BackendResult {
    /// `{"ResultCode": …, "Description": …}`; `Description` left out when there is none, as
    /// The Things Stack and ChirpStack do.
    var json: JSONValue {
        var object = JSONObject()
        object.append("ResultCode", .string(code.rawValue))
        if let detail, !detail.isEmpty { object.append("Description", .string(detail)) }
        return .object(object)
    }
}

extension KeyEnvelope {
    /// `{"KEKLabel": …, "AESKey": …}`, the label always present (empty for a key in clear).
    var json: JSONValue {
        var object = JSONObject()
        object.append("KEKLabel", .string(kekLabel))
        object.append("AESKey", .hex(aesKey))
        return .object(object)
    }
}
