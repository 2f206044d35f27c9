import Foundation
import LoRaWAN

/// A published test-vector file of `shared/reference/vectors/` (the format `LoRaWANTests` reads; a
/// small copy, since test targets do not import each other). A missing file fails the test.
struct VectorFile: Decodable {
    let operation: String
    let vectors: [Vector]

    struct Vector: Decodable {
        let id: String
        let inputs: [String: Value]
        let expected: [String: Value]

        func hex(_ name: String) throws -> [UInt8] { try bytes(inputs[name], name) }
        func expectedHex(_ name: String) throws -> [UInt8] { try bytes(expected[name], name) }

        func int(_ name: String) throws -> Int {
            guard case .integer(let value) = inputs[name] else { throw VectorError.field(id, name) }
            return value
        }

        func string(_ name: String) throws -> String {
            guard case .string(let value) = inputs[name] else { throw VectorError.field(id, name) }
            return value
        }

        private func bytes(_ value: Value?, _ name: String) throws -> [UInt8] {
            guard case .string(let text) = value, let bytes = Hex.decode(text) else { throw VectorError.field(id, name) }
            return bytes
        }
    }

    /// The scalar values the vectors use.
    enum Value: Decodable {
        case string(String)
        case integer(Int)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let integer = try? container.decode(Int.self) {
                self = .integer(integer)
            } else if let string = try? container.decode(String.self) {
                self = .string(string)
            } else {
                self = .other
            }
        }
    }

    /// `GATEHOUSE_VECTORS`, else `../shared/reference/vectors` beside the repository.
    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["GATEHOUSE_VECTORS"] {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/reference/vectors")
    }

    static func load(_ name: String) throws -> VectorFile {
        let url = directory.appendingPathComponent("\(name).json")
        guard FileManager.default.fileExists(atPath: url.path) else { throw VectorError.missingFile(url.path) }
        let file = try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
        guard !file.vectors.isEmpty else { throw VectorError.missingFile(url.path) }
        return file
    }
}

enum VectorError: Error, CustomStringConvertible {
    case missingFile(String)
    case field(String, String)

    var description: String {
        switch self {
        case .missingFile(let path): "test vectors not found at \(path) (set GATEHOUSE_VECTORS)"
        case .field(let vector, let field): "vector \(vector) has no usable field \(field)"
        }
    }
}
