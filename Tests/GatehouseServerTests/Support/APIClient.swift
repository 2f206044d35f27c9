import Foundation

/// Calls the REST API with the real `curl`, as an operator's script would.
struct APIClient {
    let endpoint: TestEndpoint
    /// The `Authorization: Bearer` key, or `nil` to send none.
    var apiKey: String?

    /// Sends `method path` with an optional JSON body; returns the status and body.
    func call(_ method: String, _ path: String, json: String? = nil, saveBodyTo file: String? = nil) async throws -> HTTPReply {
        var arguments = [
            "--silent", "--show-error", "--max-time", "20", "--cacert", endpoint.certificatePath,
            "--resolve", "localhost:\(endpoint.port):127.0.0.1", "--request", method,
            "--write-out", "\n%{http_code} %{content_type}",
        ]
        if let apiKey { arguments += ["--header", "Authorization: Bearer \(apiKey)"] }
        if let json { arguments += ["--header", "Content-Type: application/json", "--data-binary", json] }
        if let file { arguments += ["--output", file] }
        arguments.append("https://localhost:\(endpoint.port)/api/v1\(path)")
        let result = try await ExternalTool.run("/usr/bin/curl", arguments, in: endpoint.scratchDirectory)
        guard result.exitCode == 0 else { throw ToolFailure(tool: "curl", result: result) }
        return HTTPReply(curlOutput: result.standardOutput)
    }

    /// Decodes a JSON reply body into a dictionary for assertions.
    static func object(_ reply: HTTPReply) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any] else {
            throw ScaffoldingFailure(description: "not a JSON object: \(reply.body.prefix(200))")
        }
        return object
    }
}
