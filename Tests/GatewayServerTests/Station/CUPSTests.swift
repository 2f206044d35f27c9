import GatewayPKI
import GatewayServer
import LoRaWAN
import Testing

/// CUPS: the station's request, and the binary answer as the station reads it.
@Suite("CUPS")
struct CUPSTests {
    @Test("the reference request decodes field by field")
    func referenceRequest() throws {
        let request = try CUPSUpdateRequest(decoding: Array(StationReferenceMessages.cupsRequest.utf8))
        #expect(request == CUPSUpdateRequest(
            router: EUI64(0x0016_C001_FF10_A235), cupsURI: "https://localhost:41983", tcURI: nil,
            cupsCredentialsCRC: 3_780_750_672, tcCredentialsCRC: 2_077_607_535,
            station: "2.0.6(linux/testsim) 2026-11-21 11:56:31", model: "linux", package: "1.0", signingKeyCRCs: []))
    }

    @Test("The Things Stack's vendor test body, router only, is a valid request")
    func routerOnly() throws {
        let request = try CUPSUpdateRequest(decoding: Array(#"{"router":"::1"}"#.utf8))
        #expect(request == CUPSUpdateRequest(router: EUI64(1)))
    }

    @Test("router may be 16 hex digits with or without separators; unknown fields are ignored")
    func routerForms() throws {
        for text in ["0016C001FF10A235", "00-16-C0-01-FF-10-A2-35", "00:16:c0:01:ff:10:a2:35"] {
            let body = Array(#"{"router":"\#(text)","os":"linux","keys":[1,4294967295]}"#.utf8)
            let request = try CUPSUpdateRequest(decoding: body)
            #expect(request.router == EUI64(0x0016_C001_FF10_A235))
            #expect(request.signingKeyCRCs == [1, 4_294_967_295])
        }
    }

    @Test("hostile request bodies give typed errors naming the field")
    func hostileRequests() {
        func error(_ text: String) -> StationProtocolError? {
            do {
                _ = try CUPSUpdateRequest(decoding: Array(text.utf8))
                return nil
            } catch { return error }
        }
        #expect(error(#"{"cupsUri":null}"#) == .missingField("router"))
        #expect(error(#"{"router":12345}"#) == .wrongType(field: "router", expected: "an ID6 or EUI string", found: "an integer"))
        #expect(error(#"{"router":"::1","cupsCredCrc":4294967296}"#)
            == .outOfRange(field: "cupsCredCrc", value: "4294967296", allowed: "0...4294967295"))
        #expect(error(#"{"router":"::1","tcCredCrc":-1}"#) == .outOfRange(field: "tcCredCrc", value: "-1", allowed: "0...4294967295"))
        #expect(error(#"{"router":"::1","tcUri":5}"#) == .wrongType(field: "tcUri", expected: "a string or null", found: "an integer"))
        #expect(error(#"{"router":"::1","keys":{}}"#) == .wrongType(field: "keys", expected: "an array of CRC-32 values", found: "an object"))
        #expect(error(#"{"router":"::1","keys":[1,"2"]}"#) == .wrongType(field: "keys[1]", expected: "an integer", found: "a string"))
        guard case .invalidEUI(field: "router", _) = error(#"{"router":"1:2:3:4:5"}"#) else {
            Issue.record("expected invalidEUI")
            return
        }
        guard case .malformedJSON = error(#"{"router":"::1""#) else {
            Issue.record("expected malformedJSON")
            return
        }
    }

    @Test("nothing to change is 14 zero bytes")
    func noChanges() throws {
        #expect(CUPSUpdateResponse.noChanges.encoded() == [UInt8](repeating: 0, count: 14))
        #expect(try CUPSUpdateResponse().encoded() == [UInt8](repeating: 0, count: 14))
        #expect(CUPSUpdateResponse.noChanges.isEmpty)
    }

    @Test("URIs go in with one-byte lengths, exactly")
    func uris() throws {
        let response = try CUPSUpdateResponse(validatingCUPSURI: "https://cups.example.com:443", tcURI: "wss://lns.example.com:8887")
        let expected: [UInt8] = [28] + Array("https://cups.example.com:443".utf8) + [26] + Array("wss://lns.example.com:8887".utf8)
            + [0, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0]
        #expect(response.encoded() == expected)
        let read = try StationSideCUPSReader(response.encoded())
        #expect(read.cupsURI == "https://cups.example.com:443")
        #expect(read.tcURI == "wss://lns.example.com:8887")
        #expect(read.cupsCredentials == nil && read.signatureLength == 0 && read.updateLength == 0)
    }

    @Test("URIs the station would refuse are typed errors")
    func badURIs() {
        func error(_ cups: String?, _ tc: String?) -> StationEncodingError? {
            do {
                _ = try CUPSUpdateResponse(validatingCUPSURI: cups, tcURI: tc)
                return nil
            } catch { return error }
        }
        #expect(error("https://cups.example.com", nil) == .invalidURI(.uriMissingPort(.cups)))
        #expect(error("https://cups.example.com:443/update-info", nil) == .invalidURI(.uriHasPath(.cups)))
        #expect(error("wss://cups.example.com:443", nil) == .invalidURI(.uriSchemeNotAllowed(.cups, scheme: "wss")))
        #expect(error(nil, "https://lns.example.com:443") == .invalidURI(.uriSchemeNotAllowed(.tc, scheme: "https")))
        let long = "wss://" + String(repeating: "a", count: 120) + ".com:1"
        #expect(error(nil, long) == .invalidURI(.uriTooLong(.tc, length: long.utf8.count)))
        #expect((try? CUPSUpdateResponse(validatingCUPSURI: "http://localhost:8080", tcURI: "ws://localhost:8887")) != nil)
    }

    @Test("a URI for the other service is refused")
    func wrongService() throws {
        let tc = try BasicsStationURI("wss://lns.example.com:8887", for: .tc)
        #expect(throws: StationEncodingError.uriForWrongService(expected: .cups, actual: .tc)) {
            try CUPSUpdateResponse(cupsURI: tc)
        }
    }

    @Test("credentials arrive with two-byte lengths and split as the station splits them, CRC included")
    func credentials() throws {
        let issued = try StationTestCredentials.issue()
        let key = StationPrivateKey(issued.gatewayKey)
        let blob = try StationCredentialBlob(trustDER: issued.caDER, certificateDER: issued.gatewayDER, privateKey: key)
        let response = try CUPSUpdateResponse(validatingCUPSURI: nil, tcURI: "wss://lns.example.com:8887", tcCredentials: blob)
        let body = response.encoded()
        #expect(body.count == 14 + 26 + blob.count)
        let read = try StationSideCUPSReader(body)
        #expect(read.tcURI == "wss://lns.example.com:8887")
        let delivered = try #require(read.tcCredentials)
        #expect(delivered.count == blob.count)
        let parts = try StationSideCUPSReader.split(delivered)
        #expect(parts.trust == issued.caDER)
        #expect(parts.certificate == issued.gatewayDER)
        #expect(parts.key == key.exportDER())
        // After installing, the station reports crc32(trust + crt + key) = crc32(blob).
        #expect(CRC32.checksum(parts.trust + parts.certificate + parts.key) == blob.crc32)
        #expect(CRC32.checksum(delivered) == blob.crc32)
    }
}
