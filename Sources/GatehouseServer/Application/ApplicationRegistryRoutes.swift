import ApplicationServer
import Hummingbird

/// `/api/v1/applications`: create, list, show and delete applications. Creation answers the new
/// webhook secret, once; no other answer holds it.
struct ApplicationRegistryRoutes {
    let registry: any ApplicationRegistry

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("applications") { request, context in
            let body = try await ApplicationRequestBody.decode(CreateApplicationRequest.self, from: request)
            let id = try ApplicationFields.applicationID(body.id, "id")
            let name = try ApplicationFields.name(body.name, "name")
            let created = try await administration(context).create(id: id, name: name, actor: context.actor)
            return try JoinReply.json(.created, ApplicationResponse(created.application, showingOnce: created.secret), context, headers: JoinReply.noStore)
        }
        group.get("applications") { _, context in
            ApplicationListResponse(applications: try await administration(context).applications().map { ApplicationResponse($0) })
        }
        group.get("applications/:applicationID") { _, context in
            ApplicationResponse(try await administration(context).application(try ApplicationFields.applicationID(context)))
        }
        group.delete("applications/:applicationID") { _, context in
            try await administration(context).delete(try ApplicationFields.applicationID(context), actor: context.actor)
            return Response(status: .noContent)
        }
    }

    private func administration(_ context: APIRequestContext) -> ApplicationAdministration {
        ApplicationAdministration(registry: registry, logger: context.logger)
    }
}
