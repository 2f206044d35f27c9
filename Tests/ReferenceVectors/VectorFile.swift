import Foundation
import LoRaWAN

/// One published test-vector file of `shared/reference/vectors/`, for every test target that checks
/// against them (a library of its own: test targets cannot import each other). Loading fails (and so does the test)
/// when the folder or file is missing: a missing vector is a failure, never a skip.
public struct VectorFile: Decodable, Sendable {
    public let operation: String
    public let vectors: [Vector]

    public struct Vector: Decodable, Sendable {
        public let id: String
        public let inputs: [String: JSONValue]
        public let expected: [String: JSONValue]

        public func input(_ name: String) throws -> JSONValue {
            guard let value = inputs[name] else { throw VectorError.missingField(vector: id, field: name) }
            return value
        }

        public func hex(_ name: String) throws -> [UInt8] { try input(name).bytes(vector: id, field: name) }
        public func int(_ name: String) throws -> Int { try input(name).integer(vector: id, field: name) }
        public func string(_ name: String) throws -> String { try input(name).text(vector: id, field: name) }
        public func expectedHex(_ name: String) throws -> [UInt8] {
            guard let value = expected[name] else { throw VectorError.missingField(vector: id, field: name) }
            return try value.bytes(vector: id, field: name)
        }
        public func expectedInt(_ name: String) throws -> Int {
            guard let value = expected[name] else { throw VectorError.missingField(vector: id, field: name) }
            return try value.integer(vector: id, field: name)
        }
        public var expectsError: Bool { expected["error"] == .bool(true) }
    }

    /// `GATEHOUSE_VECTORS`, else `../shared/reference/vectors` beside the repository.
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["GATEHOUSE_VECTORS"] {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/reference/vectors")
    }

    public static func load(_ name: String) throws -> VectorFile {
        let url = directory.appendingPathComponent("\(name).json")
        guard FileManager.default.fileExists(atPath: url.path) else { throw VectorError.missingFile(url.path) }
        let file = try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
        guard !file.vectors.isEmpty else { throw VectorError.empty(url.path) }
        return file
    }
}

public enum VectorError: Error, CustomStringConvertible {
    case missingFile(String)
    case empty(String)
    case missingField(vector: String, field: String)
    case wrongType(vector: String, field: String)

    public var description: String {
        switch self {
        case .missingFile(let path): "test vectors not found at \(path) (set GATEHOUSE_VECTORS)"
        case .empty(let path): "no vectors in \(path)"
        case .missingField(let v, let f): "vector \(v) has no field \(f)"
        case .wrongType(let v, let f): "vector \(v) field \(f) has an unexpected type"
        }
    }
}

/// The JSON values vector files use.
public enum JSONValue: Decodable, Equatable, Sendable {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case object([String: JSONValue])
    case array([JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func bytes(vector: String, field: String) throws -> [UInt8] {
        guard case .string(let s) = self, let bytes = Hex.decode(s) else { throw VectorError.wrongType(vector: vector, field: field) }
        return bytes
    }

    public func integer(vector: String, field: String) throws -> Int {
        guard case .integer(let i) = self else { throw VectorError.wrongType(vector: vector, field: field) }
        return i
    }

    public func text(vector: String, field: String) throws -> String {
        guard case .string(let s) = self else { throw VectorError.wrongType(vector: vector, field: field) }
        return s
    }
}

extension Array where Element == UInt8 {
    public var hex: String { Hex.encode(self) }
}
