import LoRaWAN
import StrictJSON

extension BackendHeader {
    /// Appends the header members in The Things Stack's order (reference §6.2), which the answers of
    /// the reference's examples follow: version and transaction first, then each ID with its NSID.
    /// NSIDs appear only when set (1.1), as upper-case EUI-64s.
    func appendJSONMembers(to object: inout JSONObject) {
        object.append("ProtocolVersion", .string(protocolVersion.rawValue))
        object.append("TransactionID", .integer(Int64(transactionID)))
        object.append("MessageType", .string(messageType.rawValue))
        object.append("SenderID", .string(senderID))
        object.appendIfPresent("SenderNSID", senderNSID.map { .string($0.description) })
        object.append("ReceiverID", .string(receiverID))
        object.appendIfPresent("ReceiverNSID", receiverNSID.map { .string($0.description) })
    }
}

extension JSONValue {
    /// A byte field: upper-case hex, as The Things Stack writes (reference §2).
    static func hex(_ bytes: [UInt8]) -> JSONValue { .string(BackendWireHex.encode(bytes)) }
}

extension MACVersion {
    /// The spelling every Join Server reads: The Things Stack refuses `1.0.0` and `1.1.0`
    /// (reference §7.1), so 1.0.0 is written `1.0`.
    var backendSpelling: String { self == .v1_0_0 ? "1.0" : rawValue }
}
