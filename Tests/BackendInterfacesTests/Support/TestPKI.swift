import Foundation
import NIOSSL

/// A throwaway PKI made with the `openssl` command-line tool: a CA, a server certificate for
/// 127.0.0.1, a client certificate for a Network Server, and a client certificate from another CA
/// that the server must refuse. The files live in a temporary directory removed at the end.
struct TestPKI {
    let caCertificate: NIOSSLCertificate
    let serverCertificate: NIOSSLCertificate
    let serverKey: NIOSSLPrivateKey
    let clientCertificate: NIOSSLCertificate
    let clientKey: NIOSSLPrivateKey
    let strangerCertificate: NIOSSLCertificate
    let strangerKey: NIOSSLPrivateKey

    struct OpenSSLFailure: Error, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var description: String { "openssl \(arguments.joined(separator: " ")) exited \(status)" }
    }

    static func make() throws -> TestPKI {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        try makeCA("ca", name: "Gatehouse test Join Server CA", in: directory)
        try makeCA("other-ca", name: "Someone else's CA", in: directory)
        try issue("server", name: "localhost", by: "ca", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth", in: directory)
        try issue("client", name: "ns:000031", by: "ca", extensions: "extendedKeyUsage=clientAuth", in: directory)
        try issue("stranger", name: "ns:000031", by: "other-ca", extensions: "extendedKeyUsage=clientAuth", in: directory)

        return TestPKI(
            caCertificate: try certificate(path("ca.pem")),
            serverCertificate: try certificate(path("server.pem")),
            serverKey: try NIOSSLPrivateKey(file: path("server.key"), format: .pem),
            clientCertificate: try certificate(path("client.pem")),
            clientKey: try NIOSSLPrivateKey(file: path("client.key"), format: .pem),
            strangerCertificate: try certificate(path("stranger.pem")),
            strangerKey: try NIOSSLPrivateKey(file: path("stranger.key"), format: .pem))
    }

    private static func certificate(_ path: String) throws -> NIOSSLCertificate {
        guard let certificate = try NIOSSLCertificate.fromPEMFile(path).first else {
            throw OpenSSLFailure(arguments: ["(no certificate in \(path))"], status: -1)
        }
        return certificate
    }

    private static func makeCA(_ stem: String, name: String, in directory: URL) throws {
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(stem).key", "-out", "\(stem).pem", "-days", "2", "-subj", "/CN=\(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ], in: directory)
    }

    private static func issue(_ stem: String, name: String, by ca: String, extensions: String, in directory: URL) throws {
        try openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(stem).key", "-out", "\(stem).csr", "-subj", "/CN=\(name)",
        ], in: directory)
        try "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n\(extensions)\n"
            .write(to: directory.appendingPathComponent("\(stem).ext"), atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", "\(stem).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key",
            "-set_serial", "\(UInt32.random(in: 1...UInt32.max))", "-days", "2", "-extfile", "\(stem).ext", "-out", "\(stem).pem",
        ], in: directory)
    }

    private static func openssl(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw OpenSSLFailure(arguments: arguments, status: process.terminationStatus) }
    }
}
