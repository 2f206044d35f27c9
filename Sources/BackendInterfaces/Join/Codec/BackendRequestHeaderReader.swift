import LoRaWAN
import StrictJSON

/// Reads the header of a request whose `MessageType` is known, so that every later failure can be
/// answered (reference §3.6): the header is built first from whatever reads, then checked.
enum BackendRequestHeaderReader {
    static func read(_ fields: BackendJSONFields, messageType: BackendMessageType) throws(BackendDecodingFailure) -> BackendHeader {
        var firstProblem: BackendFieldError?
        var senderID = ""
        var receiverID = ""
        var transactionID: UInt32 = 0
        do throws(BackendFieldError) {
            senderID = try fields.requiredString("SenderID")
        } catch {
            firstProblem = firstProblem ?? error
        }
        do throws(BackendFieldError) {
            receiverID = try fields.requiredString("ReceiverID")
        } catch {
            firstProblem = firstProblem ?? error
        }
        do throws(BackendFieldError) {
            transactionID = UInt32(try fields.requiredInteger("TransactionID", in: 0...Int64(UInt32.max)))
        } catch {
            firstProblem = firstProblem ?? error
        }
        // Until the version is known the answer is addressed in 1.0, the version every peer reads.
        var header = BackendHeader(
            protocolVersion: .v1_0, senderID: senderID, receiverID: receiverID, transactionID: transactionID,
            messageType: messageType)

        header.protocolVersion = try protocolVersion(fields, header: header)
        if let firstProblem { throw .answerable(header: header, result: BackendResult(.malformedRequest, firstProblem.description)) }
        do throws(BackendFieldError) {
            header.senderNSID = try senderNSID(fields, version: header.protocolVersion, messageType: messageType)
        } catch {
            throw .answerable(header: header, result: BackendResult(.malformedRequest, error.description))
        }
        return header
    }

    /// `ProtocolVersion`: `"1.0"` or `"1.1"`; anything else is answered `InvalidProtocolVersion` in 1.0
    /// (The Things Stack answers `Other`; reference §7.11 asks for the specific code).
    private static func protocolVersion(
        _ fields: BackendJSONFields, header: BackendHeader
    ) throws(BackendDecodingFailure) -> BackendProtocolVersion {
        let reason: String
        switch fields.value("ProtocolVersion") {
        case .string(let text)?:
            if let version = BackendProtocolVersion(rawValue: text) { return version }
            reason = "ProtocolVersion \(BackendFieldError.quoted(text)) is not 1.0 or 1.1"
        case nil: reason = "ProtocolVersion is missing"
        case let other?: reason = "ProtocolVersion must be the string \"1.0\" or \"1.1\", got \(other.kindDescription)"
        }
        throw .answerable(header: header, result: BackendResult(.invalidProtocolVersion, reason))
    }

    /// `SenderNSID` (reference §2, §7.5): a Network Server's requests carry it exactly when the version
    /// is 1.1, as an EUI-64; 1.0 has no NSIDs. An Application Server has no NSID, so in its
    /// `AppSKeyReq` the member is optional in 1.1.
    private static func senderNSID(
        _ fields: BackendJSONFields, version: BackendProtocolVersion, messageType: BackendMessageType
    ) throws(BackendFieldError) -> EUI64? {
        switch version {
        case .v1_0:
            guard try fields.optionalString("SenderNSID").map(\.isEmpty) ?? true else {
                throw fields.failure("SenderNSID", "is not allowed in ProtocolVersion 1.0")
            }
            return nil
        case .v1_1:
            guard messageType != .appSKeyReq else { return try fields.optionalEUI64("SenderNSID") }
            guard let nsid = try fields.optionalEUI64("SenderNSID") else {
                throw fields.failure("SenderNSID", "is missing; ProtocolVersion 1.1 requires it")
            }
            return nsid
        }
    }
}
