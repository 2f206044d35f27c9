import ApplicationServer
import Hummingbird

/// An application's webhooks and their shared secret: add a URL (answered with the webhook's id),
/// remove one, rotate the secret (answered once, never readable again).
struct WebhookRoutes {
    let registry: any ApplicationRegistry

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("applications/:applicationID/webhooks") { request, context in
            let id = try ApplicationFields.applicationID(context)
            let body = try await ApplicationRequestBody.decode(AddWebhookRequest.self, from: request)
            let webhook = try await administration(context).addWebhook(to: id, url: try ApplicationFields.url(body.url, "url"), actor: context.actor)
            return try JoinReply.json(.created, WebhookResponse(webhook), context)
        }
        group.delete("applications/:applicationID/webhooks/:webhookID") { _, context in
            let id = try ApplicationFields.applicationID(context)
            try await administration(context).removeWebhook(try ApplicationFields.webhookID(context), from: id, actor: context.actor)
            return Response(status: .noContent)
        }
        group.post("applications/:applicationID/webhook-secret") { _, context in
            let id = try ApplicationFields.applicationID(context)
            let secret = try await administration(context).rotateSecret(of: id, actor: context.actor)
            return try JoinReply.json(
                .created, WebhookSecretResponse(applicationID: id.rawValue, webhookSecret: secret.exportText()), context, headers: JoinReply.noStore)
        }
    }

    private func administration(_ context: APIRequestContext) -> ApplicationAdministration {
        ApplicationAdministration(registry: registry, logger: context.logger)
    }
}
