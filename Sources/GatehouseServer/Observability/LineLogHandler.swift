import Foundation
public import Logging

/// A swift-log handler that renders each event as exactly one line of text.
///
/// The format is `<ISO 8601 time> <level> <label>: <message> key=value ...` with metadata keys
/// sorted. Line breaks inside a message or value are escaped, so a multi-line error can never be
/// mistaken for a second event, nor used to forge one; values with spaces or quotes are quoted.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let destination: LogDestination

    /// - Parameters:
    ///   - label: The logger's label, printed before the message.
    ///   - level: The least severe level that is written.
    ///   - destination: Where the lines go.
    public init(label: String, level: Logger.Level, destination: LogDestination) {
        self.label = label
        self.logLevel = level
        self.destination = destination
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let eventMetadata = event.metadata {
            merged.merge(eventMetadata) { _, new in new }
        }
        var line = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        line += " \(event.level) \(label): \(Self.escaped(event.message.description))"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " \(Self.escaped(key))=\(Self.quotedIfNeeded(value.description))"
        }
        destination.write(line)
    }

    /// Replaces control characters (line breaks above all) with visible escapes.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.properties.generalCategory == .control
                || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Quotes a metadata value that holds spaces, quotes or `=`, so that `key=value` pairs stay parseable.
    static func quotedIfNeeded(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else {
            return escaped(value)
        }
        // Backslashes and quotes first, so the escapes that `escaped` adds are not doubled.
        let quotable = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"" + escaped(quotable) + "\""
    }
}
