import Foundation

/// Writes one JSON object with its members in the order they are written, no whitespace, and the
/// same bytes for the same values every time: the encoding of ``ApplicationEvent`` that webhook
/// signatures cover and receivers may compare.
///
/// Numbers: integers as integers; a `Double` with an integral value below 2^53 without a fraction
/// (`-57`), any other finite value in Swift's shortest round-trip form (`9.5`), a non-finite value
/// as `null`. Strings escape `"`, `\` and the control characters, nothing else (UTF-8 passes through).
struct EventJSONWriter {
    private(set) var text = "{"
    private var isEmpty = true

    mutating func string(_ name: String, _ value: String) {
        member(name)
        Self.appendString(value, to: &text)
    }

    mutating func string(_ name: String, _ value: String?) {
        guard let value else { return null(name) }
        string(name, value)
    }

    mutating func integer(_ name: String, _ value: some BinaryInteger) {
        member(name)
        text += String(value)
    }

    mutating func number(_ name: String, _ value: Double) {
        member(name)
        text += Self.number(value)
    }

    mutating func bool(_ name: String, _ value: Bool) {
        member(name)
        text += value ? "true" : "false"
    }

    mutating func null(_ name: String) {
        member(name)
        text += "null"
    }

    /// An array of objects, each written by `body`.
    mutating func objects<Element>(_ name: String, _ elements: [Element], _ body: (inout EventJSONWriter, Element) -> Void) {
        member(name)
        text += "["
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            var writer = EventJSONWriter()
            body(&writer, element)
            text += writer.finished()
        }
        text += "]"
    }

    func finished() -> String { text + "}" }

    private mutating func member(_ name: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        Self.appendString(name, to: &text)
        text += ":"
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return value.description
    }

    static func appendString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
