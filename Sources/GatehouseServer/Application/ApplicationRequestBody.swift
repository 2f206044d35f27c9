import Foundation
import Hummingbird

/// Reads an Application API request body: a JSON object of at most 16 KiB with only the request's
/// members, each refusal a 400 that names the member (never quoting a value).
enum ApplicationRequestBody {
    static let limit = 16 << 10

    static func decode<T: ApplicationRequest>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await request.body.collect(upTo: limit)
        let bytes = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: bytes) } catch { throw APIError.badRequest("The body is not JSON.") }
        guard case .object(let members) = value else { throw APIError.badRequest("The body is not a JSON object.") }
        let known = Set(T.CodingKeys.allCases.map(\.stringValue))
        if let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.field(Self.printable(unknown), "is not a member of this request (expected \(known.sorted().joined(separator: ", ")))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: bytes)
        } catch let error as DecodingError {
            throw JoinRequestBody.apiError(for: error)
        }
    }

    /// A member name as it may be echoed: short, printable ASCII.
    private static func printable(_ name: String) -> String {
        let safe = name.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) } && name.utf8.count <= 24
        return safe ? name : "a member"
    }
}
