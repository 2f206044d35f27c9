import BackendInterfaces
import Crypto
import Foundation
import GatehouseServer
import GatewayPKI
import GatewayServer
import Logging
import LoRaWAN
import NIOSSL
import StationSimulator
import SwiftASN1
import Testing
import X509

/// The gateway listener with real clients: curl as The Things Stack's vendor test, openssl s_client,
/// and a Basics Station websocket client over mutual TLS.
@Suite("Gateway listener: CUPS and LNS over mutual TLS")
struct GatewayListenerTests {
    @Test("The Things Stack's vendor test command succeeds and its binary body parses")
    func vendorTestCommand() async throws {
        try await GatewayFixture.run { fixture in
            let result = try await fixture.curlUpdateInfo(
                certificate: "gateway.crt", key: "gateway.key", body: #"{"router":"\#(GatewayFixture.gatewayAID6)"}"#, output: fixture.path("body.bin"))
            #expect(result.exitCode == 0, "\(result.standardError)")
            #expect(result.standardOutput == "200")
            let body = try CUPSBody(Array(try Data(contentsOf: URL(fileURLWithPath: fixture.path("body.bin")))))
            #expect(body.cupsURI == "https://localhost:\(fixture.endpoint.gatewayPort)")
            #expect(body.tcURI == "wss://localhost:\(fixture.endpoint.gatewayPort)")
            #expect(body.cupsCredentials.isEmpty && body.tcCredentials.isEmpty && body.signature.isEmpty && body.update.isEmpty)

            // A station that already has both URIs gets "nothing to change": 14 zero bytes.
            let port = fixture.endpoint.gatewayPort
            let again = try await fixture.curlUpdateInfo(
                certificate: "gateway.crt", key: "gateway.key",
                body: #"{"router":"\#(GatewayFixture.gatewayAID6)","cupsUri":"https://localhost:\#(port)","tcUri":"wss://localhost:\#(port)"}"#,
                output: fixture.path("again.bin"))
            #expect(again.standardOutput == "200")
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: fixture.path("again.bin")))) == [UInt8](repeating: 0, count: 14))
        }
    }

    @Test("a router EUI other than the certificate's is a 403, and malformed JSON a 400")
    func claimedEUIMustMatch() async throws {
        let log = CapturedLog()
        try await GatewayFixture.run(log: log) { fixture in
            let other = try await fixture.curlUpdateInfo(certificate: "gateway.crt", key: "gateway.key", body: #"{"router":"\#(GatewayFixture.gatewayBID6)"}"#)
            #expect(other.standardOutput == "403")
            let malformed = try await fixture.curlUpdateInfo(certificate: "gateway.crt", key: "gateway.key", body: "{nope")
            #expect(malformed.standardOutput == "400")
            #expect(log.count(containing: "router EUI is not the certificate's") == 1)
        }
    }

    @Test("refused client certificates never reach HTTP, each with its own logged reason")
    func refusedCertificates() async throws {
        let log = CapturedLog()
        try await GatewayFixture.run(log: log) { fixture in
            let hour: TimeInterval = 3600
            try fixture.writeClientCertificate("expired", commonName: GatewayFixture.gatewayA, notBefore: Date() - 48 * hour, notAfter: Date() - 24 * hour)
            try fixture.writeClientCertificate("future", commonName: GatewayFixture.gatewayA, notBefore: Date() + 24 * hour, notAfter: Date() + 48 * hour)
            try fixture.writeClientCertificate("stranger", commonName: GatewayFixture.gatewayA, issuer: try GatewayFixture.strangerAuthority())
            try fixture.writeClientCertificate("serverauth", commonName: GatewayFixture.gatewayA, extendedKeyUsage: [.serverAuth])
            try fixture.writeClientCertificate("unregistered", commonName: "00000000DEADBEEF")
            try fixture.writeClientCertificate("notaneui", commonName: "gateway-a.example.com")
            try await fixture.writeRSA1024Certificate("rsa1024", commonName: GatewayFixture.gatewayA)
            // B's own certificate, revoked through the API.
            let issuedB = try APIClient.object(try await fixture.client.call("POST", "/gateways/\(GatewayFixture.gatewayB)/certificates", json: "{}"))
            try ((issuedB["certificate"] as? [String: Any])?["certificatePEM"] as? String ?? "").write(toFile: fixture.path("revoked.crt"), atomically: true, encoding: .utf8)
            try (issuedB["privateKeyPEM"] as? String ?? "").write(toFile: fixture.path("revoked.key"), atomically: true, encoding: .utf8)
            let serialB = (issuedB["certificate"] as? [String: Any])?["serial"] as? String ?? ""
            #expect(try await fixture.client.call("POST", "/certificates/\(serialB)/revoke", json: #"{"reason":"keyCompromise"}"#).status == 200)

            let cases: [(file: String?, reason: String)] = [
                (nil, "no_certificate"), ("expired", "expired"), ("future", "not_yet_valid"), ("revoked", "revoked"),
                ("stranger", "untrusted_chain"), ("serverauth", "missing_client_auth"), ("rsa1024", "weak_key"),
                ("unregistered", "unregistered_gateway"), ("notaneui", "subject_not_eui"),
            ]
            for (file, reason) in cases {
                let before = log.count(containing: "reason=\(reason)")
                // curl's OpenSSL would itself refuse to use an RSA-1024 key at its default security level.
                let result = try await fixture.curlUpdateInfo(
                    certificate: file.map { $0 + ".crt" }, key: file.map { $0 + ".key" }, body: #"{"router":"\#(GatewayFixture.gatewayAID6)"}"#,
                    permitWeakKeys: file == "rsa1024")
                #expect(result.exitCode != 0, "\(file ?? "no certificate") was admitted: \(result.standardOutput)")
                #expect(!["200", "400", "403"].contains(result.standardOutput), "\(file ?? "no certificate") reached HTTP")
                #expect(await log.waitFor(before + 1, containing: "reason=\(reason)") == before + 1, "no log line with reason=\(reason): \(result.standardError) \(log.text.split(separator: "\n").filter { $0.contains("refused") }.suffix(2))")
            }
            // CN of another registered gateway (B) while claiming A: the handshake is B's, CUPS refuses the claim.
            try fixture.writeClientCertificate("gatewayb", commonName: GatewayFixture.gatewayB)
            let impostor = try await fixture.curlUpdateInfo(certificate: "gatewayb.crt", key: "gatewayb.key", body: #"{"router":"\#(GatewayFixture.gatewayAID6)"}"#)
            #expect(impostor.standardOutput == "403")
        }
    }

    @Test("CUPS gives a station without LNS credentials a key and certificate once, and the old one stays valid until the station confirms")
    func credentialDelivery() async throws {
        let log = CapturedLog()
        try await GatewayFixture.run(log: log) { fixture in
            let port = fixture.endpoint.gatewayPort
            let uris = #""cupsUri":"https://localhost:\#(port)","tcUri":"wss://localhost:\#(port)""#
            func update(_ crcs: String, certificate: String = "gateway") async throws -> CUPSBody {
                let output = fixture.path("cups-\(UUID().uuidString).bin")
                let result = try await fixture.curlUpdateInfo(
                    certificate: certificate + ".crt", key: certificate + ".key", body: #"{"router":"\#(GatewayFixture.gatewayAID6)",\#(uris),\#(crcs)}"#,
                    output: output)
                #expect(result.standardOutput == "200", "\(result.standardError) \(log.text.suffix(1500))")
                return try CUPSBody(Array(try Data(contentsOf: URL(fileURLWithPath: output))))
            }
            // A station whose tc.* files are missing.
            let first = try await update(#""cupsCredCrc":1234,"tcCredCrc":2077607535"#)
            #expect(!first.tcCredentials.isEmpty && first.cupsCredentials == first.tcCredentials)
            let firstParts = try BlobParts(first.tcCredentials)
            let firstSubject = try firstParts.certificate.subject.description
            #expect(firstSubject.contains(GatewayFixture.gatewayA))
            #expect(firstParts.keyMatchesCertificate)

            // Not installed (the station still reports no files): a newer delivery, the first is revoked.
            let second = try await update(#""cupsCredCrc":1234,"tcCredCrc":2077607535"#)
            let secondParts = try BlobParts(second.tcCredentials)
            #expect(secondParts.serialHex != firstParts.serialHex)
            let history = try APIClient.object(try await fixture.client.call("GET", "/gateways/\(GatewayFixture.gatewayA)/certificates"))
            let certificates = history["certificates"] as? [[String: Any]] ?? []
            let revoked = Set(certificates.filter { $0["revokedAt"] != nil && !($0["revokedAt"] is NSNull) }.compactMap { $0["serial"] as? String })
            #expect(revoked == [firstParts.serialHex], "only the unconfirmed first delivery is revoked: \(revoked)")

            // Installed: the station reports the blob's CRC; the delivery becomes current and the old certificate is revoked.
            let crc = CRC32.checksum(second.tcCredentials)
            let confirmed = try await update(#""cupsCredCrc":\#(crc),"tcCredCrc":\#(crc)"#)
            #expect(confirmed.tcCredentials.isEmpty && confirmed.cupsCredentials.isEmpty)
            // The revocation runs once the answer is sent (the station must hear it first), so the next
            // handshake may just precede it: wait for it, as a station reconnecting would.
            var old = try await fixture.curlUpdateInfo(certificate: "gateway.crt", key: "gateway.key", body: #"{"router":"\#(GatewayFixture.gatewayAID6)"}"#)
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while old.exitCode == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                old = try await fixture.curlUpdateInfo(certificate: "gateway.crt", key: "gateway.key", body: #"{"router":"\#(GatewayFixture.gatewayAID6)"}"#)
            }
            #expect(old.exitCode != 0, "the superseded certificate still connects")
            try secondParts.writePEM(certificate: fixture.path("renewed.crt"), key: fixture.path("renewed.key"))
            let renewed = try await fixture.curlUpdateInfo(certificate: "renewed.crt", key: "renewed.key", body: #"{"router":"\#(GatewayFixture.gatewayAID6)"}"#)
            #expect(renewed.standardOutput == "200", "\(renewed.standardError)")
        }
    }

    @Test("CUPS renews a certificate within the renewal window of its expiry")
    func renewal() async throws {
        try await GatewayFixture.run { fixture in
            let issued = try APIClient.object(try await fixture.client.call("POST", "/gateways/\(GatewayFixture.gatewayA)/certificates", json: #"{"validityDays":10}"#))
            try ((issued["certificate"] as? [String: Any])?["certificatePEM"] as? String ?? "").write(toFile: fixture.path("short.crt"), atomically: true, encoding: .utf8)
            try (issued["privateKeyPEM"] as? String ?? "").write(toFile: fixture.path("short.key"), atomically: true, encoding: .utf8)
            let output = fixture.path("renewal.bin")
            let result = try await fixture.curlUpdateInfo(
                certificate: "short.crt", key: "short.key", body: #"{"router":"\#(GatewayFixture.gatewayAID6)","cupsCredCrc":99,"tcCredCrc":99}"#, output: output)
            #expect(result.standardOutput == "200")
            let body = try CUPSBody(Array(try Data(contentsOf: URL(fileURLWithPath: output))))
            let parts = try BlobParts(body.cupsCredentials)
            let notAfter = try parts.certificate.notValidAfter
            #expect(notAfter.timeIntervalSinceNow > 300 * 86_400)
        }
    }

    @Test("openssl: TLS 1.1 and a CBC suite are refused; ECDHE-ECDSA-AES256-GCM-SHA384 and TLS 1.3 succeed")
    func tlsPolicy() async throws {
        try await GatewayFixture.run { fixture in
            func handshake(_ options: [String]) async throws -> ToolResult {
                try await ExternalTool.run(
                    "/bin/sh",
                    ["-c", "echo | /usr/bin/openssl s_client -connect 127.0.0.1:\(fixture.endpoint.gatewayPort) -servername localhost "
                        + "-CAfile \(fixture.path("root-ca.crt")) -cert \(fixture.path("gateway.crt")) -key \(fixture.path("gateway.key")) -verify_return_error " + options.joined(separator: " ")],
                    in: fixture.folder)
            }
            let tls11 = try await handshake(["-tls1_1"])
            #expect(!tls11.standardOutput.contains("Cipher is ECDHE") && tls11.exitCode != 0)
            let cbc = try await handshake(["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256"])
            #expect(cbc.exitCode != 0)
            let gcm = try await handshake(["-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"])
            #expect(gcm.standardOutput.contains("ECDHE-ECDSA-AES256-GCM-SHA384"), "\(gcm.standardError)")
            #expect(gcm.standardOutput.contains("Verify return code: 0 (ok)"))
            let tls13 = try await handshake(["-tls1_3"])
            #expect(tls13.standardOutput.contains("TLSv1.3"), "\(tls13.standardError)")
        }
    }

    @Test("a station goes router-info, traffic, version, router_config, updf and jreq; the NS gets the frames byte for byte; revocation closes it")
    func stationSession() async throws {
        let traffic = RecordingTrafficHandler()
        try await GatewayFixture.run(traffic: traffic) { fixture in
            let credentials = try StationTLSCredentials(
                trustFile: fixture.path("root-ca.crt"), certificateFile: fixture.path("gateway.crt"), keyFile: fixture.path("gateway.key"))
            let port = fixture.endpoint.gatewayPort

            let discovery = try await StationWebSocket.connect(host: "localhost", port: port, path: "/router-info", credentials: credentials)
            try await discovery.send(text: #"{"router":"\#(GatewayFixture.gatewayAID6)"}"#)
            let info = try #require(try await discovery.receive())
            guard case .text(let infoText) = info else { Issue.record("router-info answered \(info)"); return }
            let infoObject = try #require(try JSONSerialization.jsonObject(with: Data(infoText.utf8)) as? [String: Any])
            #expect(infoObject["uri"] as? String == "wss://localhost:\(port)/traffic/\(GatewayFixture.gatewayA)")
            await discovery.close()

            let socket = try await StationWebSocket.connect(host: "localhost", port: port, path: "/traffic/\(GatewayFixture.gatewayA)", credentials: credentials)
            try await socket.send(text: #"{"msgtype":"version","station":"2.0.6(linux/std)","firmware":null,"package":null,"model":"linux","protocol":2,"features":"rmtsh"}"#)
            guard case .text(let configText) = try #require(try await socket.receive()) else { Issue.record("no router_config"); return }
            let config = try #require(try JSONSerialization.jsonObject(with: Data(configText.utf8)) as? [String: Any])
            #expect(config["msgtype"] as? String == "router_config")
            #expect(config["region"] as? String == "EU868")

            try await socket.send(text: #"{"msgtype":"updf","MHdr":64,"DevAddr":637604404,"FCtrl":0,"FCnt":7,"FOpts":"","FPort":10,"FRMPayload":"9252CDD763","MIC":188834127,"RefTime":0,"DR":0,"Freq":867100000,"upinfo":{"rctx":0,"xtime":45035996551636597,"gpstime":0,"fts":-1,"rssi":-50,"snr":9,"rxtime":1795262495.245758}}"#)
            try await socket.send(text: #"{"msgtype":"jreq","MHdr":0,"JoinEui":"70-B3-D5-7E-D0-00-00-01","DevEui":"00-04-A3-0B-00-1C-05-30","DevNonce":4660,"MIC":1235442767,"RefTime":0,"DR":3,"Freq":868300000,"upinfo":{"rctx":0,"xtime":45035996546115715,"gpstime":0,"fts":-1,"rssi":-50,"snr":9,"rxtime":1795262489.726413}}"#)
            var received = traffic.received.makeAsyncIterator()
            let updf = try #require(await received.next())
            #expect(updf.gatewayEUI == (try EUI64(parsing: GatewayFixture.gatewayA)))
            #expect(Hex.encode(updf.phyPayload).uppercased() == "40" + "34120126" + "00" + "0700" + "0A" + "9252CDD763" + "4F61410B")
            #expect(updf.metadata.xtime == 45_035_996_551_636_597)
            let jreq = try #require(await received.next())
            #expect(Hex.encode(jreq.phyPayload).uppercased() == "00" + "010000D07ED5B370" + "30051C000BA30400" + "3412" + "4F5CA349")

            // Status in the API.
            let connections = try APIClient.object(try await fixture.client.call("GET", "/gateways/\(GatewayFixture.gatewayA)/connections"))
            let list = connections["connections"] as? [[String: Any]] ?? []
            #expect(list.contains { $0["kind"] as? String == "traffic" && ($0["station"] as? String)?.hasPrefix("2.0.6") == true })

            // Revocation closes the live connection (invariant 5): the next receive sees the close.
            #expect(try await fixture.client.call("POST", "/certificates/\(fixture.serialA)/revoke", json: #"{"reason":"keyCompromise"}"#).status == 200)
            let afterRevocation = try? await socket.receive()
            #expect(afterRevocation == nil, "the connection of a revoked certificate stayed open")
        }
    }
}

extension GatewayListenerTests {
    @Test("a second traffic connection replaces the first; deleting the gateway closes it; a path EUI other than the certificate's is refused")
    func trafficConnectionRules() async throws {
        try await GatewayFixture.run { fixture in
            let credentials = try StationTLSCredentials(
                trustFile: fixture.path("root-ca.crt"), certificateFile: fixture.path("gateway.crt"), keyFile: fixture.path("gateway.key"))
            let port = fixture.endpoint.gatewayPort
            let path = "/traffic/\(GatewayFixture.gatewayA)"
            let version = #"{"msgtype":"version","station":"2.0.6(linux/std)","protocol":2}"#

            let other = try await StationWebSocket.connect(host: "localhost", port: port, path: "/traffic/\(GatewayFixture.gatewayB)", credentials: credentials)
            #expect((try? await other.receive()) == nil, "a traffic path naming another gateway stayed open")

            let first = try await StationWebSocket.connect(host: "localhost", port: port, path: path, credentials: credentials)
            try await first.send(text: version)
            _ = try await first.receive()
            let second = try await StationWebSocket.connect(host: "localhost", port: port, path: path, credentials: credentials)
            try await second.send(text: version)
            _ = try await second.receive()
            #expect((try? await first.receive()) == nil, "the replaced connection stayed open")

            #expect(try await fixture.client.call("DELETE", "/gateways/\(GatewayFixture.gatewayA)").status == 204)
            #expect((try? await second.receive()) == nil, "the deleted gateway's connection stayed open")
        }
    }
}

extension GatewayListenerTests {
    @Test("a revocation made by another process (the CLI on the same database) closes the live connection and refuses the next handshake")
    func revocationFromAnotherProcess() async throws {
        let log = CapturedLog()
        try await GatewayFixture.run(log: log) { fixture in
            let credentials = try StationTLSCredentials(
                trustFile: fixture.path("root-ca.crt"), certificateFile: fixture.path("gateway.crt"), keyFile: fixture.path("gateway.key"))
            let socket = try await StationWebSocket.connect(
                host: "localhost", port: fixture.endpoint.gatewayPort, path: "/traffic/\(GatewayFixture.gatewayA)", credentials: credentials)
            try await socket.send(text: #"{"msgtype":"version","station":"2.0.6(linux/std)","protocol":2}"#)
            _ = try await socket.receive()

            let cli = try await GatehouseServices.open(fixture.configuration, logger: Logger(label: "cli") { _ in SwiftLogNoOpLogHandler() })
            try await cli.pki.revoke(serial: fixture.serialA, reason: .keyCompromise, actor: "cli")
            await cli.close()

            #expect((try? await socket.receive()) == nil, "the connection of a certificate revoked by the CLI stayed open")
            let refused = try await fixture.curlUpdateInfo(certificate: "gateway.crt", key: "gateway.key", body: #"{"router":"\#(GatewayFixture.gatewayAID6)"}"#)
            #expect(refused.exitCode != 0)
            #expect(await log.waitFor(1, containing: "reason=revoked") == 1)
        }
    }
}

/// A credential blob split as the station splits it: three DER SEQUENCEs, short or 0x82 lengths.
struct BlobParts {
    var trust: [UInt8]
    var certificateDER: [UInt8]
    var keyDER: [UInt8]

    init(_ blob: [UInt8]) throws {
        var parts: [[UInt8]] = []
        var offset = 0
        while offset < blob.count {
            guard blob[offset] == 0x30, offset + 2 <= blob.count else { throw ScaffoldingFailure(description: "not a SEQUENCE at \(offset)") }
            let (length, header): (Int, Int)
            switch blob[offset + 1] {
            case let short where short < 0x80: (length, header) = (Int(short), 2)
            case 0x82 where offset + 4 <= blob.count: (length, header) = (Int(blob[offset + 2]) << 8 | Int(blob[offset + 3]), 4)
            default: throw ScaffoldingFailure(description: "a length form the station cannot read at \(offset)")
            }
            guard offset + header + length <= blob.count else { throw ScaffoldingFailure(description: "truncated part") }
            parts.append(Array(blob[offset..<offset + header + length]))
            offset += header + length
        }
        guard parts.count == 3 else { throw ScaffoldingFailure(description: "\(parts.count) parts") }
        (trust, certificateDER, keyDER) = (parts[0], parts[1], parts[2])
    }

    var certificate: Certificate { get throws { try Certificate(derEncoded: certificateDER) } }
    var serialHex: String { (try? certificate).map { Hex.encode($0.serialNumber.bytes) } ?? "" }
    var keyMatchesCertificate: Bool {
        guard let key = try? P256.Signing.PrivateKey(derRepresentation: keyDER), let certificate = try? certificate else { return false }
        return certificate.publicKey == Certificate.PublicKey(key.publicKey)
    }

    func writePEM(certificate path: String, key keyPath: String) throws {
        try certificate.serializeAsPEM().pemString.write(toFile: path, atomically: true, encoding: .utf8)
        try P256.Signing.PrivateKey(derRepresentation: keyDER).pemRepresentation.write(toFile: keyPath, atomically: true, encoding: .utf8)
    }
}

/// The CUPS response body read as a station reads it (basics-station-protocol §2.2), independently
/// of the server's encoder.
struct CUPSBody {
    var cupsURI: String
    var tcURI: String
    var cupsCredentials: [UInt8]
    var tcCredentials: [UInt8]
    var signature: [UInt8]
    var update: [UInt8]

    init(_ bytes: [UInt8]) throws {
        var offset = 0
        func take(_ count: Int) throws -> [UInt8] {
            guard offset + count <= bytes.count else { throw ScaffoldingFailure(description: "CUPS body truncated at \(offset)") }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }
        func length(_ width: Int) throws -> Int {
            try take(width).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        }
        cupsURI = String(decoding: try take(try length(1)), as: UTF8.self)
        tcURI = String(decoding: try take(try length(1)), as: UTF8.self)
        cupsCredentials = try take(try length(2))
        tcCredentials = try take(try length(2))
        signature = try take(try length(4))
        update = try take(try length(4))
        guard offset == bytes.count else { throw ScaffoldingFailure(description: "bytes after the update segment") }
    }
}
