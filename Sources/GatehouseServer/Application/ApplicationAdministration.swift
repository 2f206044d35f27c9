public import ApplicationServer
public import Foundation
public import LoRaWAN
public import Logging

/// What an operator does to applications, one set of rules for the REST API and the CLI: create and
/// delete them, add and remove webhooks, rotate the webhook secret, assign devices.
///
/// Checks that need more than one value (an id already taken, a webhook of this application, a device
/// assigned here) are made against the registry; a refusal is an ``ApplicationAdministrationError``.
/// Changes are logged without secrets and without webhook paths or queries (which may hold a
/// receiver's token).
///
/// An edit reads the application and saves it whole, so two edits of one application at the same
/// moment keep the later one's result.
public struct ApplicationAdministration: Sendable {
    /// Each event is queued once per webhook: a bound keeps one application from multiplying the outbox.
    public static let maximumWebhooks = 10
    public static let maximumURLLength = 2048

    public let registry: any ApplicationRegistry
    private let logger: Logger
    private let clock: @Sendable () -> Date

    public init(registry: any ApplicationRegistry, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init) {
        self.registry = registry
        self.logger = logger
        self.clock = clock
    }

    /// Creates an application with a new webhook secret, returned here once.
    public func create(id: ApplicationID, name: String, actor: String) async throws -> (application: Application, secret: WebhookSecret) {
        let name = try Self.name(name)
        guard try await registry.application(id) == nil else { throw ApplicationAdministrationError.alreadyExists(id) }
        let secret = WebhookSecret.generate()
        let application = Application(id: id, name: name, webhookSecret: secret, createdAt: clock())
        try await registry.save(application)
        logger.info("application created", metadata: ["application": "\(id)", "actor": "\(actor)"])
        return (application, secret)
    }

    public func applications() async throws -> [Application] {
        try await registry.applications()
    }

    public func application(_ id: ApplicationID) async throws -> Application {
        guard let application = try await registry.application(id) else { throw ApplicationAdministrationError.notFound(id) }
        return application
    }

    /// Deletes it with its webhooks and device assignments; its queued deliveries end when next attempted.
    public func delete(_ id: ApplicationID, actor: String) async throws {
        guard try await registry.delete(id) else { throw ApplicationAdministrationError.notFound(id) }
        logger.info("application deleted", metadata: ["application": "\(id)", "actor": "\(actor)"])
    }

    /// Adds a webhook for `url` (absolute `https` or `http`); events from now on are delivered to it too.
    public func addWebhook(to id: ApplicationID, url text: String, actor: String) async throws -> Webhook {
        let url = try Self.url(text)
        var application = try await application(id)
        guard !application.webhooks.contains(where: { $0.url == url }) else { throw ApplicationAdministrationError.duplicateWebhook }
        guard application.webhooks.count < Self.maximumWebhooks else {
            throw ApplicationAdministrationError.tooManyWebhooks(maximum: Self.maximumWebhooks)
        }
        let webhook: Webhook
        do { webhook = try Webhook(id: UUID(), url: url) } catch { throw ApplicationAdministrationError.invalidURL(error.description) }
        application.webhooks.append(webhook)
        try await registry.save(application)
        logger.info("webhook added", metadata: ["application": "\(id)", "webhook": "\(webhook.id)", "origin": "\(webhook.origin)", "actor": "\(actor)"])
        return webhook
    }

    /// Removes a webhook; deliveries still queued for it end when next attempted.
    public func removeWebhook(_ webhookID: UUID, from id: ApplicationID, actor: String) async throws {
        var application = try await application(id)
        guard application.webhook(webhookID) != nil else { throw ApplicationAdministrationError.webhookNotFound(webhookID, id) }
        application.webhooks.removeAll { $0.id == webhookID }
        try await registry.save(application)
        logger.info("webhook removed", metadata: ["application": "\(id)", "webhook": "\(webhookID)", "actor": "\(actor)"])
    }

    /// Replaces the webhook secret with a new one, returned here once. Deliveries are signed with the
    /// secret current at each attempt, so receivers should accept the old one for a while.
    public func rotateSecret(of id: ApplicationID, actor: String) async throws -> WebhookSecret {
        var application = try await application(id)
        let secret = WebhookSecret.generate()
        application.webhookSecret = secret
        try await registry.save(application)
        logger.notice("webhook secret rotated", metadata: ["application": "\(id)", "actor": "\(actor)"])
        return secret
    }

    /// Assigns a device, moving it from any other application.
    public func assign(_ devEUI: EUI64, to id: ApplicationID, actor: String) async throws {
        guard try await registry.assign(devEUI, to: id) else { throw ApplicationAdministrationError.notFound(id) }
        logger.info("device assigned", metadata: ["application": "\(id)", "dev_eui": "\(devEUI)", "actor": "\(actor)"])
    }

    /// Removes the device from `id`; refused when it is not assigned there.
    public func unassign(_ devEUI: EUI64, from id: ApplicationID, actor: String) async throws {
        guard try await registry.application(of: devEUI)?.id == id else {
            _ = try await application(id)
            throw ApplicationAdministrationError.deviceNotAssigned(devEUI, id)
        }
        guard try await registry.unassign(devEUI) else { throw ApplicationAdministrationError.deviceNotAssigned(devEUI, id) }
        logger.info("device unassigned", metadata: ["application": "\(id)", "dev_eui": "\(devEUI)", "actor": "\(actor)"])
    }

    public func devices(of id: ApplicationID) async throws -> [EUI64] {
        _ = try await application(id)
        return try await registry.devices(of: id)
    }

    /// A name for people: one line, 1 to 200 characters, surrounding spaces dropped.
    public static func name(_ text: String) throws(ApplicationAdministrationError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard JoinNameRules.isValidText(trimmed) else { throw .invalidName }
        return trimmed
    }

    /// An absolute `http(s)` URL with a host, at most ``maximumURLLength`` bytes.
    public static func url(_ text: String) throws(ApplicationAdministrationError) -> URL {
        guard text.utf8.count <= maximumURLLength else { throw .invalidURL("a webhook URL is at most \(maximumURLLength) bytes") }
        guard let url = URL(string: text), url.scheme != nil else { throw .invalidURL("expected an absolute URL such as https://example.com/hook") }
        do { _ = try Webhook(id: UUID(), url: url) } catch { throw .invalidURL(error.description) }
        return url
    }
}

/// Why an operator's change to applications is refused. Sentences name ids, never secrets or URLs.
public enum ApplicationAdministrationError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(ApplicationID)
    case alreadyExists(ApplicationID)
    case webhookNotFound(UUID, ApplicationID)
    case duplicateWebhook
    case tooManyWebhooks(maximum: Int)
    case deviceNotAssigned(EUI64, ApplicationID)
    case invalidName
    case invalidURL(String)

    public var description: String {
        switch self {
        case .notFound(let id): "application \(id) does not exist"
        case .alreadyExists(let id): "application \(id) already exists"
        case .webhookNotFound(let webhook, let id): "application \(id) has no webhook \(webhook.uuidString.lowercased())"
        case .duplicateWebhook: "the application already has a webhook with this URL"
        case .tooManyWebhooks(let maximum): "an application has at most \(maximum) webhooks"
        case .deviceNotAssigned(let devEUI, let id): "device \(devEUI) is not assigned to application \(id)"
        case .invalidName: "a name is \(JoinNameRules.textRule)"
        case .invalidURL(let reason): reason
        }
    }
}

extension ApplicationID {
    /// The rule ``ApplicationID`` enforces, for error messages.
    public static let rule = "an application id is 1 to 64 lower-case letters, digits, '-', '_' or '.'"
}
