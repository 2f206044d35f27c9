import LoRaWAN
import StrictJSON

/// Reads the `router` field of a CUPS or router-info request: the gateway EUI as Basics Station writes
/// it (ID6, `16:c001:ff10:a235`), as 16 hex digits with or without separators, or, in router-info
/// only, as a JSON integer (older stations and some tools send the EUI as a number).
enum StationRouterID {
    static func eui(in object: JSONObject, acceptsInteger: Bool) throws(StationProtocolError) -> EUI64 {
        let field = object.fieldName("router")
        let value = try object.requiredValue("router")
        switch value {
        case .string(let text):
            return try JSONValue.eui(fromText: text, field: field)
        case .integer(let number) where acceptsInteger:
            guard let raw = UInt64(exactly: number) else {
                throw .outOfRange(field: field, value: String(number), allowed: "0...\(UInt64.max)")
            }
            return EUI64(raw)
        case .largeInteger(let text) where acceptsInteger:
            guard let raw = UInt64(text) else {
                throw .outOfRange(field: field, value: StationProtocolError.excerpt(text), allowed: "0...\(UInt64.max)")
            }
            return EUI64(raw)
        default:
            let expected = acceptsInteger ? "an ID6 or EUI string, or an integer" : "an ID6 or EUI string"
            throw .wrongType(field: field, expected: expected, found: value.kindDescription)
        }
    }
}
