import Foundation
import GroupCommit
import Logging

/// One attempt at a delivery: sending it (read the application, sign, POST) and recording what came of
/// it in the outbox. The two halves are apart so that the running dispatcher frees the receiver's slot
/// as soon as it answered, before the record waits for its group commit.
extension WebhookDispatcher {
    enum AttemptResult: Sendable {
        case delivered, retried, dead
    }

    /// What sending came to.
    enum SendOutcome: Sendable {
        case delivered
        /// Not worth trying again: the receiver refused it, or the webhook is gone.
        case abandoned(reason: String)
        /// Worth trying again later, on the plan's back-off.
        case failed(reason: String)
    }

    func attempt(_ delivery: WebhookDelivery) async -> AttemptResult {
        await record(await send(delivery), of: delivery)
    }

    /// Signs with the application's secret as it is now and POSTs. The application comes from
    /// ``ApplicationRegistry/recentApplication(_:)``: from memory, so an attempt costs no query and no
    /// unsealing; a secret rotated through this process applies at once.
    func send(_ delivery: WebhookDelivery) async -> SendOutcome {
        let application: Application?
        do {
            application = try await applications.recentApplication(delivery.applicationID)
        } catch {
            return .failed(reason: "the application could not be read: \(error)")
        }
        guard let application, let webhook = application.webhook(delivery.webhookID) else {
            return .abandoned(reason: "the webhook no longer exists")
        }
        let headers = [
            (name: "Content-Type", value: "application/json"),
            (name: "User-Agent", value: "Gatehouse"),
            (name: Self.eventHeader, value: delivery.eventType),
            (name: Self.deliveryHeader, value: delivery.id.uuidString.lowercased()),
        ] + WebhookSignature.headers(body: delivery.body, secret: application.webhookSecret, at: clock())
        do {
            let status = try await transport.post(url: webhook.url, headers: headers, body: delivery.body)
            switch WebhookAttemptOutcome(status: status) {
            case .delivered: return .delivered
            case .refused: return .abandoned(reason: "\(webhook.origin) refused it with HTTP \(status)")
            case .retry: return .failed(reason: "\(webhook.origin) answered HTTP \(status)")
            }
        } catch {
            return .failed(reason: "\(webhook.origin) did not answer: \(error)")
        }
    }

    func record(_ outcome: SendOutcome, of delivery: WebhookDelivery) async -> AttemptResult {
        let attempts = delivery.attempts + 1
        switch outcome {
        case .delivered: return await delivered(delivery)
        case .abandoned(let reason): return await dead(delivery, attempts: attempts, reason: reason)
        case .failed(let reason): return await retry(delivery, attempts: attempts, reason: reason)
        }
    }

    private func delivered(_ delivery: WebhookDelivery) async -> AttemptResult {
        metrics.webhookAttempt("delivered")
        do {
            try await deliveredMarks.submit(delivery.id)
        } catch {
            // The lease ends and it is sent again: at least once.
            logger.error("a delivered webhook could not be marked", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        logger.trace("webhook delivered", metadata: ["delivery": "\(delivery.id)", "webhook": "\(delivery.webhookID)"])
        return .delivered
    }

    private func retry(_ delivery: WebhookDelivery, attempts: Int, reason: String) async -> AttemptResult {
        guard let next = plan.nextAttempt(after: clock(), attempt: attempts, queuedAt: delivery.queuedAt, jitter: jitter()) else {
            return await dead(delivery, attempts: attempts, reason: "gave up after \(attempts) attempts; the last: \(reason)")
        }
        metrics.webhookAttempt("retry")
        logger.debug("webhook attempt failed; will retry", metadata: [
            "delivery": "\(delivery.id)", "application": "\(delivery.applicationID)", "attempts": "\(attempts)", "reason": "\(reason)",
        ])
        do {
            try await outbox.reschedule(delivery.id, attempts: attempts, nextAttemptAt: next, lastError: reason)
        } catch {
            logger.error("a webhook retry could not be scheduled", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        return .retried
    }

    private func dead(_ delivery: WebhookDelivery, attempts: Int, reason: String) async -> AttemptResult {
        metrics.webhookAttempt("dead")
        logger.warning("webhook delivery abandoned", metadata: [
            "delivery": "\(delivery.id)", "application": "\(delivery.applicationID)", "webhook": "\(delivery.webhookID)",
            "event": "\(delivery.eventType)", "attempts": "\(attempts)", "reason": "\(reason)",
        ])
        do {
            try await outbox.markDead(delivery.id, attempts: attempts, reason: reason)
        } catch {
            logger.error("an abandoned webhook delivery could not be marked", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        return .dead
    }
}
