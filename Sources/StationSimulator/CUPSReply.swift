import NIOHTTP1

/// A CUPS server's answer to `POST /update-info`: the station accepts only status 200 with a
/// `Content-Length` body (Basics Station protocol §2.2). The body is binary; `CUPSClient` has already
/// checked that its length is the announced one.
public struct CUPSReply: Sendable, Equatable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
