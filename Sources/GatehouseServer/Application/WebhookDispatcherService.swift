import ApplicationServer
import ServiceLifecycle

/// Runs the webhook dispatcher for as long as the server serves: deliveries queued before a restart
/// are due at once, so nothing queued is lost across one.
struct WebhookDispatcherService: Service {
    let dispatcher: WebhookDispatcher

    func run() async {
        await cancelWhenGracefulShutdown {
            await dispatcher.run()
        }
    }
}
