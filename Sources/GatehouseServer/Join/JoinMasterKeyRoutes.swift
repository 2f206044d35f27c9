import Hummingbird
import JoinServer

/// `/api/v1/join/master-keys`: manufacturers' master keys, each covering a JoinEUI range, from which
/// the Join Server derives the root keys of devices that have none of their own. A key goes in and is
/// never shown again: lists give the name and range.
struct JoinMasterKeyRoutes {
    let registry: JoinDeviceRegistry

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("join/master-keys") { request, context in
            let body = try await JoinRequestBody.decode(AddMasterKeyRequest.self, from: request)
            let name = try body.masterKeyName()
            let joinEUIs = try body.joinEUIs()
            try await registry.addMasterKey(name: name, joinEUIs: joinEUIs, key: try body.masterKey(), actor: context.actor)
            return try JoinReply.json(.created, MasterKeyResponse(name: name, joinEUIs: joinEUIs), context)
        }
        group.get("join/master-keys") { _, _ in
            MasterKeyListResponse(masterKeys: try await registry.masterKeys().map { MasterKeyResponse(name: $0.name, joinEUIs: $0.joinEUIs) })
        }
        group.delete("join/master-keys/:name") { _, context in
            let name = try JoinFields.masterKeyName(try JoinFields.pathParameter(context, "name"), "name")
            try await registry.removeMasterKey(name: name, actor: context.actor)
            return Response(status: .noContent)
        }
    }
}
