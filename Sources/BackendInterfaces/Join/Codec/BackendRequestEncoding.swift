import LoRaWAN
import StrictJSON

extension BackendRequest {
    /// The request as JSON bytes, in The Things Stack's shape and member order (reference §6.2):
    /// upper-case hex, `MACVersion` in the spelling every Join Server reads, `CFList` left out when
    /// there is none.
    public func encoded() -> [UInt8] {
        var object = JSONObject()
        header.appendJSONMembers(to: &object)
        switch self {
        case .join(let request), .rejoin(let request):
            object.append("MACVersion", .string(request.macVersion.backendSpelling))
            object.append("PHYPayload", .hex(request.phyPayload))
            object.append("DevEUI", .string(request.devEUI.description))
            object.append("DevAddr", .string(request.devAddr.description))
            object.append("DLSettings", .hex([request.dlSettings.byte]))
            object.append("RxDelay", .integer(Int64(request.rxDelay)))
            object.appendIfPresent("CFList", request.cfList.map { .hex($0.bytes) })
        case .appSKey(let request):
            object.append("DevEUI", .string(request.devEUI.description))
            object.append("SessionKeyID", .hex(request.sessionKeyID))
        case .homeNS(let request):
            object.append("DevEUI", .string(request.devEUI.description))
        }
        return JSONValue.object(object).serialized
    }
}
