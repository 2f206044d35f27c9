public import Foundation
public import Hummingbird

/// The request context of the HTTPS API.
///
/// Its own type (rather than `BasicRequestContext`) so that later features can add what they
/// need, such as the authenticated principal, without touching every route; and so that JSON
/// responses have sorted keys, which makes them stable for clients, logs and tests.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is calling, for the audit log: `apikey:<name>` once authenticated.
    public var actor: String = "anonymous"

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
