import Foundation

/// An application: a name for a group of devices, and where their events go.
///
/// Every event of a device assigned to it is POSTed to each of its webhooks, signed with its
/// ``webhookSecret``, and published on the live stream under its ``id``.
public struct Application: Sendable, Equatable, CustomStringConvertible {
    public var id: ApplicationID
    public var name: String
    public var webhooks: [Webhook]
    public var webhookSecret: WebhookSecret
    public var createdAt: Date

    public init(id: ApplicationID, name: String, webhooks: [Webhook] = [], webhookSecret: WebhookSecret, createdAt: Date) {
        self.id = id
        self.name = name
        self.webhooks = webhooks
        self.webhookSecret = webhookSecret
        self.createdAt = createdAt
    }

    public func webhook(_ id: UUID) -> Webhook? { webhooks.first { $0.id == id } }

    public var description: String { "Application(\(id), \(webhooks.count) webhook(s))" }
}

/// One HTTP endpoint an application's events are POSTed to.
///
/// Pending deliveries name the webhook by ``id``, not by URL, so that changing the URL redirects the
/// deliveries still queued and removing the webhook ends them.
public struct Webhook: Sendable, Equatable, CustomStringConvertible {
    public var id: UUID
    public var url: URL

    /// - Throws: when `url` is not an absolute `http` or `https` URL with a host.
    public init(id: UUID, url: URL) throws(WebhookURLError) {
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http" else { throw .unsupportedScheme }
        guard let host = url.host, !host.isEmpty else { throw .missingHost }
        self.id = id
        self.url = url
    }

    /// The URL's scheme, host and port only: the path and query may carry a receiver's token, so logs
    /// show no more than this.
    public var origin: String {
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(url.scheme ?? "")://\(url.host ?? "")\(port)"
    }

    public var description: String { "Webhook(\(id), \(origin))" }
}

/// Why a webhook URL is refused.
public enum WebhookURLError: Error, Hashable, Sendable, CustomStringConvertible {
    case unsupportedScheme
    case missingHost

    public var description: String {
        switch self {
        case .unsupportedScheme: "a webhook URL must start with https:// or http://"
        case .missingHost: "a webhook URL must name a host"
        }
    }
}
