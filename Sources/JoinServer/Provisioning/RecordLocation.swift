/// Where in an imported document a device's record is, so an error points the operator at it.
public enum RecordLocation: Hashable, Sendable, CustomStringConvertible {
    /// A document that holds one record.
    case document
    /// A CSV line, counted from 1 (the header is line 1).
    case line(Int)
    /// A position in a JSON `devices` array, counted from 0 as JSON paths are.
    case index(Int)

    public var description: String {
        switch self {
        case .document: "the document"
        case .line(let n): "line \(n)"
        case .index(let n): "devices[\(n)]"
        }
    }
}
