import GatewayPKI
import Hummingbird
import NIOCore

/// The CRL over plain HTTP (RFC 5280 §4.2.1.13: relying parties fetch CRLs without TLS; the CRL is
/// signed, so transport security adds nothing). `GET /crl` is DER (`application/pkix-crl`),
/// `GET /crl.pem` is PEM.
struct CRLRoutes {
    let pki: GatewayPKIService

    func register(on router: Router<APIRequestContext>) {
        router.get("crl") { _, _ in
            let crl = try await pki.currentCRL()
            return Response(
                status: .ok, headers: [.contentType: "application/pkix-crl", .cacheControl: "max-age=60"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: crl.der)))
        }
        router.get("crl.pem") { _, _ in
            let crl = try await pki.currentCRL()
            return Response(
                status: .ok, headers: [.contentType: "application/x-pem-file", .cacheControl: "max-age=60"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: CRLEncoder.pem(fromDER: crl.der))))
        }
    }
}
