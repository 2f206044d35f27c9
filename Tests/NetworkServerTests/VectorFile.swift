import Foundation
import LoRaWAN
import Testing

/// Copied from Tests/LoRaWANTests/VectorFile.swift (test targets do not import each other).
/// One published test-vector file of `shared/reference/vectors/`. Loading fails (and so does the test)
/// when the folder or file is missing: a missing vector is a failure, never a skip.
struct VectorFile: Decodable {
    let operation: String
    let vectors: [Vector]

    struct Vector: Decodable {
        let id: String
        let inputs: [String: JSONValue]
        let expected: [String: JSONValue]

        func input(_ name: String) throws -> JSONValue {
            guard let value = inputs[name] else { throw VectorError.missingField(vector: id, field: name) }
            return value
        }

        func hex(_ name: String) throws -> [UInt8] { try input(name).bytes(vector: id, field: name) }
        func int(_ name: String) throws -> Int { try input(name).integer(vector: id, field: name) }
        func string(_ name: String) throws -> String { try input(name).text(vector: id, field: name) }
        func expectedHex(_ name: String) throws -> [UInt8] {
            guard let value = expected[name] else { throw VectorError.missingField(vector: id, field: name) }
            return try value.bytes(vector: id, field: name)
        }
        func expectedInt(_ name: String) throws -> Int {
            guard let value = expected[name] else { throw VectorError.missingField(vector: id, field: name) }
            return try value.integer(vector: id, field: name)
        }
        var expectsError: Bool { expected["error"] == .bool(true) }
    }

    /// `GATEHOUSE_VECTORS`, else `../shared/reference/vectors` beside the repository.
    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["GATEHOUSE_VECTORS"] {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/reference/vectors")
    }

    static func load(_ name: String) throws -> VectorFile {
        let url = directory.appendingPathComponent("\(name).json")
        guard FileManager.default.fileExists(atPath: url.path) else { throw VectorError.missingFile(url.path) }
        let file = try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
        guard !file.vectors.isEmpty else { throw VectorError.empty(url.path) }
        return file
    }
}

enum VectorError: Error, CustomStringConvertible {
    case missingFile(String)
    case empty(String)
    case missingField(vector: String, field: String)
    case wrongType(vector: String, field: String)

    var description: String {
        switch self {
        case .missingFile(let path): "test vectors not found at \(path) (set GATEHOUSE_VECTORS)"
        case .empty(let path): "no vectors in \(path)"
        case .missingField(let v, let f): "vector \(v) has no field \(f)"
        case .wrongType(let v, let f): "vector \(v) field \(f) has an unexpected type"
        }
    }
}

/// The JSON values vector files use.
enum JSONValue: Decodable, Equatable {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case object([String: JSONValue])
    case array([JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func bytes(vector: String, field: String) throws -> [UInt8] {
        guard case .string(let s) = self, let bytes = Hex.decode(s) else { throw VectorError.wrongType(vector: vector, field: field) }
        return bytes
    }

    func integer(vector: String, field: String) throws -> Int {
        guard case .integer(let i) = self else { throw VectorError.wrongType(vector: vector, field: field) }
        return i
    }

    func text(vector: String, field: String) throws -> String {
        guard case .string(let s) = self else { throw VectorError.wrongType(vector: vector, field: field) }
        return s
    }
}

extension Array where Element == UInt8 {
    var hex: String { Hex.encode(self) }
}
