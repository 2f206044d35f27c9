import StrictJSON

/// The JSON of LoRa Basics Station messages: the shared strict parser and writer (``JSONParser``,
/// ``JSONValue/serialized``) with the station protocol's limits, failing with its errors.
///
/// The station and we must read every message alike, hence strict parsing; `xtime` needs exact 64-bit
/// integers and `DR` must be told from `MuxTime`, hence no Foundation (see ``JSONValue``).
package enum StationJSON {
    /// Nesting depth of arrays and objects accepted; station messages use at most 3.
    package static let maximumDepth = 32

    /// Parses one JSON value that fills `bytes`, without the size check of ``message(_:)``.
    package static func parse(_ bytes: [UInt8]) throws(StationProtocolError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes, maximumDepth: maximumDepth)
        } catch {
            throw .malformedJSON(offset: error.offset, reason: error.reason)
        }
    }

    /// The JSON object a station sent in one message, after checking its size.
    package static func message(_ bytes: [UInt8]) throws(StationProtocolError) -> JSONObject {
        guard bytes.count <= StationFrameLimits.maximumInboundMessageBytes else {
            throw .messageTooLarge(size: bytes.count, limit: StationFrameLimits.maximumInboundMessageBytes)
        }
        guard case .object(let object) = try parse(bytes) else { throw .notAnObject }
        return object
    }

    /// The JSON text of a message to a station, checked against the station's frame limit.
    package static func frame(_ message: JSONValue) throws(StationEncodingError) -> String {
        let bytes = message.serialized
        guard bytes.count <= StationFrameLimits.maximumOutboundFrameBytes else {
            throw .frameTooLarge(size: bytes.count, limit: StationFrameLimits.maximumOutboundFrameBytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
