import Foundation
import GatewayPKI
import Hummingbird
import LoRaWAN
import NIOCore

/// `/api/v1` routes of the Gateway PKI. Handlers are thin: decode, call `GatewayPKIService`, encode.
struct PKIRoutes {
    let pki: GatewayPKIService

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("ca/init") { request, context in
            let body = try await request.decode(as: InitializeAuthorityRequest.self, context: context)
            let authorities = try await pki.initializeAuthority(
                commonName: body.commonName ?? "Gatehouse", organization: body.organization, keyType: try body.authorityKeyType(),
                actor: context.actor)
            return try created(AuthorityListResponse(authorities: [AuthorityResponse(authorities.root), AuthorityResponse(authorities.issuing)]), context)
        }
        group.post("ca/import") { request, context in
            let body = try await request.decode(as: ImportAuthorityRequest.self, context: context)
            let record = try await pki.importAuthority(certificatePEM: body.certificatePEM, privateKeyPEM: body.privateKeyPEM, actor: context.actor)
            return try created(AuthorityResponse(record), context)
        }
        group.get("ca") { _, _ in
            AuthorityListResponse(authorities: try await pki.authorities().map(AuthorityResponse.init))
        }
        group.post("ca/vendors") { request, context in
            let body = try await request.decode(as: TrustVendorAuthorityRequest.self, context: context)
            return try created(AuthorityResponse(try await pki.trustVendorAuthority(certificatePEM: body.certificatePEM, actor: context.actor)), context)
        }
        group.delete("ca/vendors/:id") { _, context in
            try await pki.removeVendorAuthority(id: try context.parameters.require("id"), actor: context.actor)
            return Response(status: .noContent)
        }
        group.post("ca/root-key/export") { request, context in
            let body = try await request.decode(as: ExportRootKeyRequest.self, context: context)
            let pem = try await pki.exportRootKey(remove: body.remove, actor: context.actor)
            return RootKeyResponse(
                privateKeyPEM: pem.exportPEM(), removed: body.remove,
                notice: body.remove ? "The root key is no longer on the server: keep this copy offline." : "Keep this key offline.")
        }

        group.post("gateways") { request, context in
            let body = try await request.decode(as: RegisterGatewayRequest.self, context: context)
            let record = try await pki.registerGateway(
                eui: try body.gatewayEUI(), name: body.name, network: body.network ?? "default", location: try body.gatewayLocation(),
                frequencyPlan: try body.region(), actor: context.actor)
            return try created(GatewayResponse(record), context)
        }
        group.get("gateways") { request, _ in
            GatewayListResponse(gateways: try await pki.gateways(network: request.uri.queryParameters.get("network")).map(GatewayResponse.init))
        }
        group.get("gateways/:eui") { _, context in
            GatewayResponse(try await pki.gateway(try eui(context)))
        }
        group.delete("gateways/:eui") { _, context in
            try await pki.deleteGateway(try eui(context), actor: context.actor)
            return Response(status: .noContent)
        }

        group.post("gateways/:eui/certificates") { request, context in
            let gateway = try eui(context)
            let body = try await request.decode(as: IssueCertificateRequest.self, context: context)
            return try await issue(body, for: gateway, context: context)
        }
        group.get("gateways/:eui/certificates") { _, context in
            CertificateListResponse(certificates: try await pki.certificates(of: try eui(context)).map(CertificateResponse.init))
        }
        group.get("gateways/:eui/certificate") { _, context in
            let gateway = try eui(context)
            guard let current = try await pki.currentCertificate(of: gateway) else {
                throw APIError.notFound("Gateway \(gateway) has no valid certificate.")
            }
            return CertificateResponse(current)
        }
        group.get("certificates/:serial") { _, context in
            CertificateResponse(try await pki.certificate(serial: try context.parameters.require("serial")))
        }
        group.post("certificates/:serial/revoke") { request, context in
            let body = try await request.decode(as: RevokeCertificateRequest.self, context: context)
            let record = try await pki.revoke(serial: try context.parameters.require("serial"), reason: try body.crlReason(), actor: context.actor)
            return CertificateResponse(record)
        }

        group.get("audit") { request, _ in
            let query = request.uri.queryParameters
            let gateway = try query.get("gateway").map { try parseEUI($0, field: "gateway") }
            let from = try query.get("from").map { try date($0, field: "from") }
            let to = try query.get("to").map { try date($0, field: "to") }
            let limit = try query.get("limit").map { text -> Int in
                guard let value = Int(text) else { throw APIError.field("limit", "must be a number") }
                return value
            } ?? 1000
            return AuditListResponse(events: try await pki.auditEvents(gateway: gateway, from: from, to: to, limit: limit).map(AuditEventResponse.init))
        }
    }

    private func issue(_ body: IssueCertificateRequest, for gateway: EUI64, context: APIRequestContext) async throws -> Response {
        let validity = body.validityDays ?? GatewayCertificateProfile.defaultValidityDays
        let format = body.format?.lowercased() ?? "json"
        guard format == "json" || format == "basicstation" else { throw APIError.field("format", "use json or basicstation") }
        // Check the bundle's URIs before issuing, so a bad URI does not leave an unused certificate.
        if format == "basicstation" {
            guard let cups = body.cupsURI, let tc = body.tcURI else {
                throw APIError.field("cupsURI", "the basicstation format needs cupsURI and tcURI")
            }
            do {
                _ = try BasicsStationURI(cups, for: .cups)
                _ = try BasicsStationURI(tc, for: .tc)
            } catch { throw APIError.field("cupsURI", "\(error)") }
        }

        let issued: IssuedGatewayCertificate
        let privateKey: PrivateKeyPEM?
        if let csr = body.csrPEM {
            issued = try await pki.issueCertificate(for: gateway, certificationRequest: Array(csr.utf8), validityDays: validity, actor: context.actor)
            privateKey = nil
        } else {
            let credentials = try await pki.issueCertificate(for: gateway, keyType: try body.gatewayKeyType(), validityDays: validity, actor: context.actor)
            issued = credentials.certificate
            privateKey = credentials.privateKey
        }

        if format == "basicstation", let cups = body.cupsURI, let tc = body.tcURI {
            let bundle = try BasicsStationBundle(
                cupsURI: cups, tcURI: tc, serverTrustPEM: issued.trustAnchorPEM, certificatePEM: issued.certificatePEM + issued.chainPEM,
                privateKeyPEM: privateKey?.exportPEM())
            let tar = bundle.tarArchive(modifiedAt: issued.record.issuedAt)
            return Response(
                status: .created,
                headers: [
                    .contentType: "application/x-tar",
                    .contentDisposition: "attachment; filename=\"\(gateway)-basicstation.tar\"",
                    .cacheControl: "no-store",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: tar)))
        }
        let response = IssuedCertificateResponse(
            certificate: CertificateResponse(issued.record), chainPEM: issued.chainPEM, trustAnchorPEM: issued.trustAnchorPEM,
            privateKeyPEM: privateKey?.exportPEM(),
            notice: privateKey == nil
                ? "The key stayed on the gateway (CSR)."
                : "This private key is shown once and is not stored: copy it to the gateway now.")
        // no-store: the body may hold the only copy of a private key; no cache may keep it.
        return try created(response, context, headers: [.cacheControl: "no-store"])
    }
}

private func eui(_ context: APIRequestContext) throws -> EUI64 {
    try parseEUI(try context.parameters.require("eui"), field: "eui")
}

private func date(_ text: String, field: String) throws -> Date {
    if let date = ISO8601DateFormatter().date(from: text) { return date }
    if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
    throw APIError.field(field, "use an ISO 8601 time (2026-11-21T13:00:00Z) or Unix seconds")
}

/// A 201 response with a JSON body.
private func created(_ value: some Encodable, _ context: APIRequestContext, headers: HTTPFields = [:]) throws -> Response {
    var fields = headers
    fields[.contentType] = "application/json; charset=utf-8"
    return Response(status: .created, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try context.responseEncoder.encode(value))))
}
