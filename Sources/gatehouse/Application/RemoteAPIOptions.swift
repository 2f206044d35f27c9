import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// How the commands that talk to a running server's REST API reach it: its URL, an operator API key,
/// and the certificate to trust. The key is better given in a file (or the environment) than as
/// `--token`, which other users of the machine can read in the process list.
struct RemoteAPIOptions: ParsableArguments {
    static let tokenEnvironment = "GATEHOUSE_API_KEY"

    @Option(name: .customLong("api"), help: "The server's HTTPS API (default https://localhost:8443).")
    var api: String = "https://localhost:8443"

    @Option(name: .customLong("token"), help: "An operator API key (see 'gatehouse apikey create').")
    var token: String?

    @Option(name: .customLong("token-file"), help: "A file holding the API key (- for standard input).")
    var tokenFile: String?

    @Option(name: .customLong("cacert"), help: "PEM certificate(s) to trust for the API (default: the system's roots).")
    var caCertificate: String?

    /// The API key from `--token`, `--token-file` or `GATEHOUSE_API_KEY`, in that order.
    func apiKey() throws -> String {
        if token != nil && tokenFile != nil { throw CommandLineFailure.usage("give --token or --token-file, not both") }
        let key: String
        if let token {
            key = token
        } else if let tokenFile {
            key = try SecretFiles.text(tokenFile, option: "--token-file")
        } else if let environment = ProcessInfo.processInfo.environment[Self.tokenEnvironment] {
            key = environment
        } else {
            throw CommandLineFailure.usage("an API key is needed: --token-file FILE, --token KEY or \(Self.tokenEnvironment)")
        }
        let trimmed = key.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw CommandLineFailure.usage("the API key is empty or holds characters an API key cannot")
        }
        return trimmed
    }

    /// The API's host and port, from `https://HOST[:PORT]` with no path or query.
    func endpoint() throws -> (host: String, port: Int) {
        guard let url = URL(string: api), url.scheme?.lowercased() == "https", let host = url.host, !host.isEmpty,
            url.path.isEmpty || url.path == "/", url.query == nil, url.user == nil
        else { throw CommandLineFailure.usage("--api: expected https://HOST[:PORT]") }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return (bare, url.port ?? 443)
    }

    /// A connection to the API, trusting what `--cacert` says (``APITrust``).
    func connection() throws -> APIConnection {
        let (host, port) = try endpoint()
        return try APIConnection(host: host, port: port, trust: try APITrust.load(caCertificate: caCertificate))
    }

    /// The headers every request carries: the API key, and what is accepted back.
    func headers(accept: String = "application/json") throws -> HTTPHeaders {
        ["Authorization": "Bearer \(try apiKey())", "Accept": accept, "User-Agent": "gatehouse-cli"]
    }

    /// Sends `method /api/v1<path>` (with a JSON body if given) and returns the body of a `2xx` answer;
    /// any other status is one line with the API's error message, exit status 1.
    func call(_ method: HTTPMethod, _ path: String, json: [UInt8]? = nil) async throws -> [UInt8] {
        var headers = try headers()
        if json != nil { headers.add(name: "Content-Type", value: "application/json") }
        let connection = try connection()
        do {
            return try await connection.exchange(method, "/api/v1" + path, headers: headers, body: json, readTimeout: .seconds(30)) { answer in
                let body = try await answer.collect(upTo: 4 << 20)
                guard (200..<300).contains(answer.head.status.code) else { throw Self.refusal(status: answer.head.status, body: body) }
                return body
            }
        } catch {
            throw Self.explained(error)
        }
    }

    /// `the API answered 404: <message>`, the message from the API's error body when there is one.
    static func refusal(status: HTTPResponseStatus, body: [UInt8]) -> CommandLineFailure {
        struct ErrorBody: Decodable {
            struct Detail: Decodable { var message: String }
            var error: Detail
        }
        let message = (try? JSONDecoder().decode(ErrorBody.self, from: Data(body)))?.error.message ?? status.reasonPhrase
        return .invalidData("the API answered \(status.code): \(message)")
    }

    /// Connection failures as one line an operator can act on.
    static func explained(_ error: any Error) -> any Error {
        switch error {
        case is CommandLineFailure: error
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            CommandLineFailure.invalidData("TLS with the API failed: \(error) (is --cacert the server's certificate?)")
        case is APIReadTimeout: CommandLineFailure.invalidData("the API sent nothing for too long; the connection is lost")
        case is APIConnectionClosed: CommandLineFailure.invalidData("the API closed the connection before answering")
        default: CommandLineFailure.invalidData("the API cannot be reached: \(error)")
        }
    }
}
