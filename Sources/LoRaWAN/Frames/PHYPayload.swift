/// Any LoRaWAN PHYPayload, decoded by its MHDR (LoRaWAN 1.1 §4).
public enum PHYPayload: Hashable, Sendable {
    case joinRequest(JoinRequest)
    case rejoinRequest(RejoinRequest)
    /// A join-accept as received: still encrypted, so only its length is known without the root key.
    case joinAccept(EncryptedJoinAccept)
    case data(DataFrame)
    /// Proprietary frames: the MAC payload format is the vendor's, so the bytes after MHDR are kept whole.
    case proprietary([UInt8])

    /// Decodes any frame. Never traps; malformed input throws `FrameError`.
    public init(decoding bytes: [UInt8]) throws(FrameError) {
        guard let first = bytes.first else { throw .truncated(field: "MHDR", needed: 1, available: 0) }
        guard bytes.count <= DataFrameLayout.maximumPHYPayloadLength else {
            throw .tooLong(field: "PHYPayload", maximum: DataFrameLayout.maximumPHYPayloadLength, actual: bytes.count)
        }
        switch try MHDR(byte: first).mType {
        case .joinRequest: self = .joinRequest(try JoinRequest(decoding: bytes))
        case .rejoinRequest: self = .rejoinRequest(try RejoinRequest(decoding: bytes))
        case .joinAccept: self = .joinAccept(try EncryptedJoinAccept(bytes: bytes))
        case .unconfirmedDataUp, .unconfirmedDataDown, .confirmedDataUp, .confirmedDataDown:
            self = .data(try DataFrame(decoding: bytes))
        case .proprietary: self = .proprietary(Array(bytes.dropFirst()))
        }
    }

    public var mType: MType {
        switch self {
        case .joinRequest: .joinRequest
        case .rejoinRequest: .rejoinRequest
        case .joinAccept: .joinAccept
        case .data(let frame): frame.mType
        case .proprietary: .proprietary
        }
    }

    /// The wire bytes.
    public func encode() throws(FrameError) -> [UInt8] {
        switch self {
        case .joinRequest(let request): request.encode()
        case .rejoinRequest(let request): request.encode()
        case .joinAccept(let accept): accept.bytes
        case .data(let frame): try frame.encode()
        case .proprietary(let payload): [MHDR(mType: .proprietary).byte] + payload
        }
    }
}

/// A join-accept on the wire: MHDR in clear, then 16 or 32 encrypted bytes.
public struct EncryptedJoinAccept: Hashable, Sendable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(FrameError) {
        guard bytes.count == 17 || bytes.count == 33 else {
            throw .wrongLength(message: "join-accept", expected: "17 or 33", actual: bytes.count)
        }
        guard try MHDR(byte: bytes[0]).mType == .joinAccept else {
            throw .invalidField(field: "MHDR", reason: "not a JoinAccept")
        }
        self.bytes = bytes
    }

    /// Decrypts with the key that encrypted it (AppKey, NwkKey or JSEncKey) and decodes the fields.
    /// The MIC is not checked here: which key and formula apply depends on OptNeg, which is inside.
    public func decrypt<Role: JoinAcceptEncryptionKeyRole>(key: AES128Key<Role>) throws(FrameError) -> JoinAccept {
        try JoinAccept(decodingPlaintext: try JoinAcceptCipher.decrypt(bytes, key: key))
    }
}
