import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// `JoinService` over the LoRaWAN Backend Interfaces: each call POSTs one request as JSON to a remote
/// Join Server over mutual TLS and decodes its synchronous answer (reference §1).
///
/// Protocol failures (`MICFailed`, `UnknownDevEUI`...) come back as answers with a `Result`; only
/// transport trouble, a non-2xx status (whose body both reference clients ignore too) or an answer
/// that does not parse or does not answer the request throws. Neither errors nor logs ever carry a
/// body: answers hold session keys.
///
/// Call ``shutdown()`` when done; the underlying `HTTPClient` must not outlive it.
public final class HTTPJoinService: JoinService {
    private let client: HTTPClient
    private let url: String
    private let displayURL: String
    private let timeout: TimeAmount
    private let logger: Logger

    public init(configuration: HTTPJoinServiceConfiguration, logger: Logger = Logger(label: "gatehouse.backend-interfaces.join-client")) {
        var http = HTTPClient.Configuration(
            tlsConfiguration: configuration.tlsConfiguration,
            // A redirect would send the request, keys and all, somewhere the configuration did not name.
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: configuration.timeout, read: configuration.timeout),
            connectionPool: HTTPClient.Configuration.ConnectionPool(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maximumConnections)))
        http.decompression = .disabled
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
        url = configuration.url
        displayURL = configuration.displayURL
        timeout = configuration.timeout
        self.logger = logger
    }

    /// Closes the connections. Calls after this fail with ``JoinServiceError/unreachable(_:)``.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func join(_ request: JoinReq) async throws(JoinServiceError) -> JoinAns {
        switch try await exchange(BackendRequest(request)) {
        case .join(let answer), .rejoin(let answer): return answer
        // `exchange` checks that the answer's type is the request's answer type.
        case .appSKey, .homeNS: throw .malformedAnswer("the answer is not a JoinAns")
        }
    }

    public func appSKey(_ request: AppSKeyReq) async throws(JoinServiceError) -> AppSKeyAns {
        guard case .appSKey(let answer) = try await exchange(.appSKey(request)) else {
            throw .malformedAnswer("the answer is not an AppSKeyAns")
        }
        return answer
    }

    public func homeNS(_ request: HomeNSReq) async throws(JoinServiceError) -> HomeNSAns {
        guard case .homeNS(let answer) = try await exchange(.homeNS(request)) else {
            throw .malformedAnswer("the answer is not a HomeNSAns")
        }
        return answer
    }

    /// One POST and its answer, checked to answer this request: the answer type of its message type
    /// and the same TransactionID (ChirpStack's asynchronous mode matches on it, reference §1.1).
    func exchange(_ request: BackendRequest) async throws(JoinServiceError) -> BackendAnswer {
        let header = request.header
        var logger = logger
        logger[metadataKey: "join-server"] = "\(displayURL)"
        logger[metadataKey: "message-type"] = "\(header.messageType.rawValue)"
        logger[metadataKey: "transaction-id"] = "\(header.transactionID)"

        var post = HTTPClientRequest(url: url)
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "application/json")
        post.body = .bytes(ByteBuffer(bytes: request.encoded()))

        let body: ByteBuffer
        do {
            let response = try await client.execute(post, timeout: timeout)
            guard (200..<300).contains(response.status.code) else {
                logger.warning("The Join Server answered HTTP \(response.status.code)")
                throw JoinServiceError.httpStatus(Int(response.status.code))
            }
            body = try await response.body.collect(upTo: BackendAnswer.maximumBodySize)
        } catch let error as JoinServiceError {
            throw error
        } catch is NIOTooManyBytesError {
            logger.warning("The Join Server's answer is too large")
            throw .malformedAnswer("the answer is longer than \(BackendAnswer.maximumBodySize) bytes")
        } catch {
            logger.warning("The Join Server cannot be reached", metadata: ["error": "\(String(describing: error))"])
            throw .unreachable(String(describing: error))
        }

        let answer: BackendAnswer
        do {
            answer = try BackendAnswer(decoding: Array(buffer: body))
        } catch {
            logger.warning("The Join Server's answer does not parse", metadata: ["reason": "\(error.description)"])
            throw .malformedAnswer(error.description)
        }
        guard answer.messageType == request.answerType else {
            logger.warning("The Join Server answered the wrong message type", metadata: ["answer-type": "\(answer.messageType.rawValue)"])
            throw .malformedAnswer("a \(answer.messageType.rawValue) does not answer a \(header.messageType.rawValue)")
        }
        guard answer.header.transactionID == header.transactionID else {
            logger.warning("The Join Server answered another transaction", metadata: ["answer-transaction-id": "\(answer.header.transactionID)"])
            throw .malformedAnswer("TransactionID \(answer.header.transactionID) does not answer TransactionID \(header.transactionID)")
        }
        logger.debug("The Join Server answered", metadata: ["result": "\(answer.result.code.rawValue)"])
        return answer
    }
}
