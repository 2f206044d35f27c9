import LoRaWAN

/// The fields every Backend Interfaces message starts with (1.0 §6.1; 1.1 adds the NSIDs).
///
/// Sender and receiver IDs stay strings: a NetID, a JoinEUI or an AS-ID depending on the message, and
/// an answer must give them back exactly as the request spelled them.
public struct BackendHeader: Hashable, Sendable {
    public var protocolVersion: BackendProtocolVersion
    public var senderID: String
    public var receiverID: String
    /// Echoed, never interpreted: The Things Stack sends 0 on every request.
    public var transactionID: UInt32
    public var messageType: BackendMessageType
    /// 1.1 only: the Network Server's NSID (an EUI-64), echoed as `ReceiverNSID`.
    public var senderNSID: EUI64?
    public var receiverNSID: EUI64?

    public init(
        protocolVersion: BackendProtocolVersion, senderID: String, receiverID: String, transactionID: UInt32,
        messageType: BackendMessageType, senderNSID: EUI64? = nil, receiverNSID: EUI64? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.senderID = senderID
        self.receiverID = receiverID
        self.transactionID = transactionID
        self.messageType = messageType
        self.senderNSID = senderNSID
        self.receiverNSID = receiverNSID
    }

    /// The header of the answer to this request: same version and transaction, IDs swapped, the
    /// sender's NSID returned as the receiver's.
    public func answerHeader() -> BackendHeader {
        BackendHeader(
            protocolVersion: protocolVersion, senderID: receiverID, receiverID: senderID, transactionID: transactionID,
            messageType: messageType.answerType ?? messageType, senderNSID: nil, receiverNSID: senderNSID)
    }
}
