import Foundation
import LoRaWAN
import Logging

/// Sends an event where it belongs: to the live stream (its application's subscribers and those of
/// all events) and, for a device in an application, into the webhook outbox once per webhook, with
/// the JSON written once for both.
struct EventRouter: Sendable {
    let applications: any ApplicationRegistry
    let stream: EventStream
    let webhooks: WebhookDispatcher
    let logger: Logger
    let metrics = ApplicationServerMetrics()

    /// The application `devEUI` is assigned to. A registry that cannot be read is logged and the event
    /// goes to the stream of all events only.
    func application(of devEUI: EUI64?) async -> Application? {
        guard let devEUI else { return nil }
        do {
            return try await applications.application(of: devEUI)
        } catch {
            logger.error("the device's application could not be read", metadata: ["dev_eui": "\(devEUI)", "error": "\(error)"])
            return nil
        }
    }

    /// Encodes `event` once and hands the same bytes to the stream and to the outbox; returns once the
    /// outbox stored them (or failed to, which is logged and counted).
    func publish(_ event: ApplicationEvent, to application: Application?) async {
        let hasWebhooks = application?.webhooks.isEmpty == false
        // Nobody reads an event that has neither a subscriber nor a webhook: skip encoding it.
        guard hasWebhooks || stream.hasSubscribers else { return }
        let encoded = EncodedApplicationEvent(event)
        stream.publish(encoded)
        guard let application, hasWebhooks else { return }
        do {
            try await webhooks.enqueue(encoded, for: application)
        } catch {
            metrics.eventNotQueued()
            logger.error("an event could not be queued for the application's webhooks", metadata: [
                "application": "\(application.id)", "event": "\(event.type)", "dev_eui": "\(event.devEUI.map { "\($0)" } ?? "-")",
                "error": "\(error)",
            ])
        }
    }
}
