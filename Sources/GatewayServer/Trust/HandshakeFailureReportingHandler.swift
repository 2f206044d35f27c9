import NIOCore
import NIOSSL

/// Reports the one gateway refusal that BoringSSL makes before ``GatewayHandshakeVerifier`` is
/// asked: a client that sends no certificate. BoringSSL does not call the custom verification
/// callback then (`SSL_VERIFY_FAIL_IF_NO_PEER_CERT` ends the handshake first), so the refusal is
/// only visible as the handshake error this handler sees after the `NIOSSLServerHandler`.
///
/// Refusals made by the verifier also surface here, as BoringSSL's "certificate verify failed";
/// they are not reported twice. The error is passed on unchanged.
public final class HandshakeFailureReportingHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = NIOAny

    private let reporter: GatewayHandshakeReporter

    public init(reporter: GatewayHandshakeReporter) {
        self.reporter = reporter
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let refusal = Self.refusal(forHandshakeError: error) {
            reporter.refused(refusal, gateway: nil, remoteAddress: context.channel.remoteAddress?.description)
        }
        context.fireErrorCaught(error)
    }

    /// The refusal a TLS handshake error stands for, when it is one the verifier never saw.
    ///
    /// This runs for every connection that ends inside its handshake, which includes a client
    /// closing right after sending its Finished (a TLS 1.3 client may, and `openssl s_time` does):
    /// swift-nio-ssl reports that as "EOF during handshake". Only BoringSSL's own errors are put
    /// into words to be searched, one at a time; formatting the whole error cost more than the
    /// verifier's decision.
    public static func refusal(forHandshakeError error: any Error) -> GatewayHandshakeRefusal? {
        guard case NIOSSLError.handshakeFailed(let failure) = error else { return nil }
        let stack: NIOBoringSSLErrorStack
        switch failure {
        case .sslError(let errors), .unknownError(let errors): stack = errors
        default: return nil
        }
        // BoringSSL's SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE, in TLS 1.2 and 1.3 alike.
        let noCertificate = stack.contains { error in
            error != .eofDuringHandshake && error != .eofDuringAdditionalCertficiateChainValidation
                && error.description.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE")
        }
        return noCertificate ? .noCertificate : nil
    }
}
