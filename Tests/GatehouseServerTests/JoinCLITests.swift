import Foundation
import Testing

/// The Join Server's commands (`gatehouse device`, `gatehouse js`, `gatehouse keys rotate-kek`) run as
/// the built executable, on a real SQLite data directory, as an operator runs them.
@Suite("Join Server CLI")
struct JoinCLITests {
    private typealias T = JoinTestData

    /// A scratch folder with `data` for the data directory; runs `gatehouse` there and checks that no run
    /// prints a secret of the test (except the ones a command exists to print).
    private final class Session {
        let directory: TemporaryDirectory

        init() throws { directory = try TemporaryDirectory() }

        var path: String { directory.path }

        func file(_ name: String) -> String { directory.file(name) }

        func write(_ name: String, _ text: String, mode: Int = 0o600) throws {
            try text.write(toFile: file(name), atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file(name))
        }

        @discardableResult
        func run(_ arguments: [String], dataDirectory: String = "data", standardInput: String? = nil, allowing allowed: [String] = []) async throws -> ToolResult {
            let result = try await GatehouseCLI.run(arguments + ["--data-dir", file(dataDirectory)], in: path, standardInput: standardInput.map { self.file($0) })
            let leaked = T.leaks(in: result.standardOutput + result.standardError).filter { !allowed.contains($0) }
            #expect(leaked.isEmpty, "gatehouse \(arguments.joined(separator: " ")) printed a secret")
            return result
        }

        func mode(_ name: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: file(name))[.posixPermissions] as? Int)
        }
    }

    @Test("device create, show, list, set-keys and delete: keys come from files or standard input and are never printed")
    func deviceLifecycle() async throws {
        let session = try Session()
        try session.write("app.key", T.appKey + "\n")
        try session.write("nwk.key", "  \(T.nwkKey)  \n")
        // Almost a key: the error must not repeat it.
        let almost = String(T.otherAppKey.dropLast()) + "z"
        try session.write("bad.key", almost)

        let created = try await session.run(["device", "create", "0004A30B001C0530", "--join-eui", "70B3D57ED0000001", "--mac-version", "1.0.3",
                                             "--app-key-file", "app.key", "--owner", "acme"])
        #expect(created.exitCode == 0, "\(created.standardError)")
        #expect(created.standardOutput.contains("Registered device 0004A30B001C0530"))
        let fromStandardInput = try await session.run(
            ["device", "create", "0004A30B001C0531", "--join-eui", "70B3D57ED0000001", "--mac-version", "1.1", "--app-key-file", "app.key", "--nwk-key-file", "-"],
            standardInput: "nwk.key")
        #expect(fromStandardInput.exitCode == 0, "\(fromStandardInput.standardError)")

        let oneKey = try await session.run(["device", "create", "0004A30B001C0532", "--join-eui", "70B3D57ED0000001", "--mac-version", "1.1", "--app-key-file", "app.key"])
        #expect(oneKey.exitCode == 2)
        #expect(oneKey.standardError == "gatehouse: a LoRaWAN 1.1 device needs both --app-key-file and --nwk-key-file, or neither\n")
        let badKey = try await session.run(["device", "create", "0004A30B001C0532", "--join-eui", "70B3D57ED0000001", "--mac-version", "1.0.3", "--app-key-file", "bad.key"])
        #expect(badKey.exitCode == 1)
        #expect(badKey.standardError == "gatehouse: --app-key-file: bad.key does not hold a 128-bit key (32 hex digits)\n")
        #expect(!badKey.standardError.contains(almost.prefix(8)))
        let duplicate = try await session.run(["device", "create", "0004A30B001C0530", "--join-eui", "70B3D57ED0000001", "--mac-version", "1.0.3"])
        #expect(duplicate.exitCode == 1)
        #expect(duplicate.standardError == "gatehouse: device 0004A30B001C0530 already exists\n")

        let list = try await session.run(["device", "list"])
        #expect(list.standardOutput.split(separator: "\n").count == 2)
        #expect(try await session.run(["device", "list", "--owner", "acme"]).standardOutput.split(separator: "\n").count == 1)
        let shown = try await session.run(["device", "show", "0004A30B001C0531"])
        #expect(shown.standardOutput.contains("LoRaWAN 1.1"))
        #expect(shown.standardOutput.contains("Root keys      own"))

        let halfKeys = try await session.run(["device", "set-keys", "0004A30B001C0531", "--app-key-file", "app.key"])
        #expect(halfKeys.exitCode == 1)
        #expect(halfKeys.standardError.contains("needs both NwkKey and AppKey"))
        #expect(try await session.run(["device", "set-keys", "0004A30B001C0531", "--app-key-file", "app.key", "--nwk-key-file", "nwk.key"]).exitCode == 0)
        #expect(try await session.run(["device", "reset-nonces", "0004A30B001C0531", "--reason", "counter lost"]).exitCode == 0)
        #expect(try await session.run(["device", "delete", "0004A30B001C0531"]).exitCode == 0)
        let unknown = try await session.run(["device", "show", "0004A30B001C0531"])
        #expect(unknown.exitCode == 1)
        #expect(unknown.standardError == "gatehouse: no device 0004A30B001C0531\n")
        #expect(try await session.run(["device", "show", "not-an-eui"]).exitCode == 2)

        let audit = try await session.run(["device", "audit", "0004A30B001C0531"])
        for action in ["device.created", "device.root_keys_set", "device.dev_nonces_reset", "device.deleted"] {
            #expect(audit.standardOutput.contains(action), "\(action) missing")
        }
    }

    @Test("device import a wrapped CSV batch, claim with a code file, transfer to a second data directory and import it there")
    func importClaimTransfer() async throws {
        let session = try Session()
        try session.write("mfr.kek", T.manufacturerKEK + "\n")
        try session.write("transfer.kek", T.transferKEK + "\n")
        try session.write("batch.csv", T.batchCSV([
            .init(devEUI: "0004A30B001C0540", claimCode: "K7Q-PL2-9XZ"),
            .init(devEUI: "0004A30B001C0541", macVersion: "1.1", claimCode: "M4R-TT8-2QW", nwkKey: T.nwkKey),
        ]))
        try session.write("right.code", "K7Q-PL2-9XZ\n")
        try session.write("wrong.code", "K7Q-PL2-9XY\n")

        let withoutKEK = try await session.run(["device", "import", "batch.csv"])
        #expect(withoutKEK.exitCode == 1)
        #expect(withoutKEK.standardError.contains("no key-encryption key is labelled \"mfr-2026\""))
        let imported = try await session.run(["device", "import", "batch.csv", "--kek", "mfr-2026=mfr.kek"])
        #expect(imported.exitCode == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("Imported 2 devices"))
        #expect(try await session.run(["device", "show", "0004A30B001C0540"]).standardOutput.contains("none (claimable)"))

        let wrong = try await session.run(["device", "claim", "0004A30B001C0540", "--join-eui", "70B3D57ED0000001", "--claim-code-file", "wrong.code", "--owner", "acme"],
                                          allowing: [])
        #expect(wrong.exitCode == 1)
        #expect(wrong.standardError == "gatehouse: no unclaimed device has that DevEUI, JoinEUI and claim code\n")
        #expect(!wrong.standardError.contains("K7Q"))
        let claimed = try await session.run(["device", "claim", "0004A30B001C0540", "--join-eui", "70B3D57ED0000001", "--claim-code-file", "right.code", "--owner", "acme"])
        #expect(claimed.exitCode == 0, "\(claimed.standardError)")
        #expect(claimed.standardOutput.contains("now belongs to acme"))

        let transferred = try await session.run(["device", "transfer", "0004A30B001C0541", "--kek", "js-transfer=transfer.kek", "--out", "export.json"])
        #expect(transferred.exitCode == 0, "\(transferred.standardError)")
        #expect(try session.mode("export.json") == 0o600)
        let document = try String(contentsOfFile: session.file("export.json"), encoding: .utf8)
        #expect(document.contains("\"kek_label\":\"js-transfer\""))
        #expect(T.leaks(in: document).isEmpty)
        let twice = try await session.run(["device", "transfer", "0004A30B001C0541", "--kek", "js-transfer=transfer.kek", "--out", "export2.json"])
        #expect(twice.exitCode == 1)
        #expect(!FileManager.default.fileExists(atPath: session.file("export2.json")), "a refused transfer leaves no file")

        let wrongKEK = try await session.run(["device", "import-transfer", "export.json", "--kek", "js-transfer=mfr.kek"], dataDirectory: "data2")
        #expect(wrongKEK.exitCode == 1)
        #expect(wrongKEK.standardError.contains("does not unwrap"))
        let moved = try await session.run(["device", "import-transfer", "export.json", "--kek", "js-transfer=transfer.kek", "--owner", "globex"], dataDirectory: "data2")
        #expect(moved.exitCode == 0, "\(moved.standardError)")
        let shown = try await session.run(["device", "show", "0004A30B001C0541"], dataDirectory: "data2")
        #expect(shown.standardOutput.contains("Owner          globex"))
        #expect(shown.standardOutput.contains("LoRaWAN 1.1"))
    }

    @Test("js peer add shows a generated KEK once, js peer cert writes a certificate that chains to the CA, master keys list without keys")
    func peersAndMasterKeys() async throws {
        let session = try Session()
        try session.write("master.key", T.masterKey + "\n")
        try session.write("as.kek", T.transferKEK + "\n")
        #expect(try await session.run(["ca", "init"]).exitCode == 0)

        let added = try await session.run(["js", "peer", "add", "ns:000031"])
        #expect(added.exitCode == 0, "\(added.standardError)")
        let kek = added.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(kek.count == 32 && kek.allSatisfy(\.isHexDigit), "standard output is the KEK alone")
        #expect(added.standardError.contains("shown once"))
        let withCertificate = try await session.run(["js", "peer", "add", "as:as.example.com", "--kek-label", "as-1", "--kek-file", "as.kek", "--cert-out", "as"])
        #expect(withCertificate.exitCode == 0, "\(withCertificate.standardError)")
        #expect(try session.mode("as/client.key") == 0o600)
        #expect(!FileManager.default.fileExists(atPath: session.file("as/kek.hex")), "a KEK given is not written back")
        let generatedToFile = try await session.run(["js", "peer", "add", "ns:000032", "--cert-out", "ns32"])
        #expect(generatedToFile.exitCode == 0, "\(generatedToFile.standardError)")
        #expect(try session.mode("ns32/kek.hex") == 0o600)
        let fileKEK = try String(contentsOfFile: session.file("ns32/kek.hex"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!generatedToFile.standardOutput.contains(fileKEK) && !generatedToFile.standardError.contains(fileKEK))

        let list = try await session.run(["js", "peer", "list"])
        // The in-process Network and Application Servers are peers too, each with a KEK of its own.
        #expect(list.standardOutput == "as:as.example.com  as-1\nas:gatehouse  as:gatehouse\nns:000000  ns:000000\nns:000031  ns:000031\nns:000032  ns:000032\n")
        #expect(!list.standardOutput.contains(kek))

        let certificate = try await session.run(["js", "peer", "cert", "ns:000031", "--out", "ns31"])
        #expect(certificate.exitCode == 0, "\(certificate.standardError)")
        let verify = try await ExternalTool.run(
            "/usr/bin/openssl", ["verify", "-CAfile", session.file("ns31/ca.crt"), "-untrusted", session.file("ns31/client.crt"), session.file("ns31/client.crt")], in: session.path)
        #expect(verify.exitCode == 0, "\(verify.standardError)")
        let subject = try await ExternalTool.run("/usr/bin/openssl", ["x509", "-in", session.file("ns31/client.crt"), "-noout", "-subject"], in: session.path)
        #expect(subject.standardOutput.contains("ns:000031"))
        #expect(try await session.run(["js", "peer", "cert", "ns:000033", "--out", "ns33"]).exitCode == 1)
        #expect(try await session.run(["js", "peer", "add", "gw:1"]).exitCode == 2)
        #expect(try await session.run(["js", "peer", "remove", "ns:000031"]).exitCode == 0)
        #expect(try await session.run(["js", "peer", "remove", "ns:000031"]).exitCode == 1)

        let master = try await session.run(["js", "master-key", "add", "vendor-a", "--join-eui-range", "70B3D57ED0000000-70B3D57ED00000FF", "--key-file", "master.key"])
        #expect(master.exitCode == 0, "\(master.standardError)")
        let overlap = try await session.run(["js", "master-key", "add", "vendor-b", "--join-eui-range", "70B3D57ED0000080..70B3D57ED00001FF", "--key-file", "master.key"])
        #expect(overlap.exitCode == 1)
        #expect(overlap.standardError == "gatehouse: the JoinEUI range overlaps master key vendor-a\n")
        #expect(try await session.run(["js", "master-key", "list"]).standardOutput == "vendor-a  70B3D57ED0000000-70B3D57ED00000FF\n")
        _ = try await session.run(["device", "create", "0004A30B001C0530", "--join-eui", "70B3D57ED0000010", "--mac-version", "1.0.3"])
        #expect(try await session.run(["device", "show", "0004A30B001C0530"]).standardOutput.contains("master key vendor-a"))
        #expect(try await session.run(["js", "master-key", "remove", "vendor-a"]).exitCode == 0)
    }

    @Test("keys rotate-kek re-encrypts every secret, writes the new key to the generated kek file and keeps the old one for backups")
    func rotateKEK() async throws {
        let session = try Session()
        try session.write("app.key", T.appKey)
        #expect(try await session.run(["device", "create", "0004A30B001C0530", "--join-eui", "70B3D57ED0000001", "--mac-version", "1.0.3", "--app-key-file", "app.key"]).exitCode == 0)
        let oldKey = try String(contentsOfFile: session.file("data/kek"), encoding: .utf8)
        let newKey = (0..<32).map { String(format: "%02x", ($0 * 37 + 11) % 256) }.joined()
        try session.write("new.kek", newKey + "\n")

        let rotated = try await session.run(["keys", "rotate-kek", "--new-kek-file", "new.kek"])
        #expect(rotated.exitCode == 0, "\(rotated.standardError)")
        // The root key, and the KEKs of the in-process Network and Application Servers.
        #expect(rotated.standardOutput.contains("Re-encrypted 3 secrets"))
        #expect(!(rotated.standardOutput + rotated.standardError).contains(newKey) && !(rotated.standardOutput + rotated.standardError).contains(oldKey))
        #expect(try String(contentsOfFile: session.file("data/kek"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == newKey)
        #expect(try session.mode("data/kek") == 0o600)
        let kept = try FileManager.default.contentsOfDirectory(atPath: session.file("data")).filter { $0.hasPrefix("kek.previous-") }
        #expect(kept.count == 1)
        #expect(try String(contentsOfFile: session.file("data/" + (kept.first ?? "")), encoding: .utf8) == oldKey)
        // The database opens with the new key from the kek file.
        #expect(try await session.run(["device", "show", "0004A30B001C0530"]).exitCode == 0)

        let again = try await session.run(["keys", "rotate-kek", "--new-kek-file", "new.kek"])
        #expect(again.exitCode == 2)
        #expect(again.standardError.contains("holds the key in use"))
        let empty = try await session.run(["keys", "rotate-kek", "--new-kek-file", "new.kek"], dataDirectory: "nothing-here")
        #expect(empty.exitCode == 1)
        #expect(!FileManager.default.fileExists(atPath: session.file("nothing-here/kek")), "rotating nothing creates no key")
    }
}
