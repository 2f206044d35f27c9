import LoRaWAN

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// libFuzzer entry point over the LoRaWAN decoders, built with -sanitize=fuzzer[,address] and
// -parse-as-library (no Swift `main`: the process starts in libFuzzer's driver, see FuzzerEntry).
//
// The first input byte chooses the decoder, the rest is its input:
//
//   selector % 8 | decoder                                  | checked beyond "does not trap"
//   -------------+------------------------------------------+------------------------------------------
//   0            | PHYPayload(decoding:)                    | encode() gives the input back; decodes again
//                |                                          | to the same value; FOpts go through the codec
//   1            | DataFrameLayout(parsing:)                | ranges inside the frame, agree with DataFrame
//   2            | JoinAccept(decodingPlaintext:)           | encodedPlaintext gives the input back
//   3            | RejoinRequest(decoding:)                 | encode() gives the input back
//   4            | EUI64(parsing:) on the bytes as UTF-8    | description / dashed / id6 parse back
//   5            | MACCommandCodec.decodeUplink             | encode(decode(x)) is x with RFU bits cleared,
//   6            | MACCommandCodec.decodeDownlink           |   and decodes to the same commands
//   7            | all of the above on the same bytes       |
//
// A broken invariant calls `fatalError` with the input in hex, which libFuzzer reports as a crash
// and saves as `crash-<sha1>`. With LORAWAN_FUZZ_VERBOSE=1 in the environment each decoder prints
// what it made of the input (to triage a reproducer: `SWIFT_BACKTRACE=enable=no LORAWAN_FUZZ_VERBOSE=1 LoRaWANFuzzer crash-…`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch selector % 8 {
    case 0: checkPHYPayload(input)
    case 1: checkDataFrameLayout(input)
    case 2: checkJoinAcceptPlaintext(input)
    case 3: checkRejoinRequest(input)
    case 4: checkEUI64Text(input)
    case 5: checkUplinkMACCommands(input)
    case 6: checkDownlinkMACCommands(input)
    default:
        checkPHYPayload(input)
        checkDataFrameLayout(input)
        checkJoinAcceptPlaintext(input)
        checkRejoinRequest(input)
        checkEUI64Text(input)
        checkUplinkMACCommands(input)
        checkDownlinkMACCommands(input)
    }
    return 0
}

// MARK: - Frames

func checkPHYPayload(_ bytes: [UInt8]) {
    let frame: PHYPayload
    do {
        frame = try PHYPayload(decoding: bytes)
    } catch {
        _ = error.description  // every FrameError message is formatted at least here
        note("PHYPayload: \(error)")
        return
    }
    note("PHYPayload: \(frame)")
    let encoded: [UInt8]
    do {
        encoded = try frame.encode()
    } catch {
        fail("a decoded PHYPayload does not re-encode: \(error)", bytes)
    }
    guard encoded == bytes else {
        fail("PHYPayload re-encodes to \(Hex.encode(encoded))", bytes)
    }
    guard let again = try? PHYPayload(decoding: encoded), again == frame else {
        fail("the re-encoded PHYPayload does not decode to the same frame", bytes)
    }
    guard let mhdr = try? MHDR(byte: bytes[0]), mhdr.mType == frame.mType, mhdr.byte == bytes[0] else {
        fail("PHYPayload mType \(frame.mType) disagrees with MHDR 0x\(Hex.encode([bytes[0]]))", bytes)
    }

    switch frame {
    case .joinRequest(let request):
        guard bytes.count == JoinRequest.length, request.encodedWithoutMIC == Array(bytes.dropLast(4)) else {
            fail("join-request fields disagree with its bytes", bytes)
        }
    case .rejoinRequest(let request):
        guard let direct = try? RejoinRequest(decoding: bytes), direct == request else {
            fail("RejoinRequest(decoding:) disagrees with PHYPayload", bytes)
        }
    case .joinAccept(let accept):
        guard accept.bytes == bytes else { fail("EncryptedJoinAccept changed the bytes", bytes) }
    case .data(let dataFrame):
        // FOpts hold MAC commands (encrypted under 1.1, so often undecodable: both outcomes are fine).
        switch dataFrame.direction {
        case .uplink: checkUplinkMACCommands(dataFrame.fOpts)
        case .downlink: checkDownlinkMACCommands(dataFrame.fOpts)
        }
    case .proprietary(let payload):
        guard payload == Array(bytes.dropFirst()) else { fail("proprietary payload changed", bytes) }
    }
}

func checkDataFrameLayout(_ bytes: [UInt8]) {
    let layout: DataFrameLayout
    do {
        layout = try DataFrameLayout(parsing: bytes)
    } catch {
        note("DataFrameLayout: \(error)")
        if case .data = try? PHYPayload(decoding: bytes) {
            fail("PHYPayload decodes a data frame that DataFrameLayout refuses: \(error)", bytes)
        }
        return
    }
    note("DataFrameLayout: \(layout)")
    let count = bytes.count
    let macEnd = count - 4
    guard (12...DataFrameLayout.maximumPHYPayloadLength).contains(count) else {
        fail("DataFrameLayout accepted \(count) bytes", bytes)
    }
    guard layout.micCovered == 0..<macEnd,
        layout.fOpts.lowerBound == 8,
        layout.fOpts.count == Int(layout.fCtrlByte & 0x0F),
        layout.fOpts.upperBound <= macEnd,
        layout.frmPayload.lowerBound >= layout.fOpts.upperBound,
        layout.frmPayload.upperBound == macEnd
    else {
        fail("DataFrameLayout ranges out of place: FOpts \(layout.fOpts), FRMPayload \(layout.frmPayload)", bytes)
    }
    // A downlink FCtrl has no field for its RFU bit 6, so it could not re-encode: the parser refuses it.
    guard layout.direction == .uplink || layout.fCtrlByte & 0x40 == 0 else {
        fail("DataFrameLayout accepted a downlink with FCtrl RFU bit 6 set", bytes)
    }
    if let fPort = layout.fPort {
        guard bytes[layout.fOpts.upperBound] == fPort, layout.frmPayload.lowerBound == layout.fOpts.upperBound + 1 else {
            fail("DataFrameLayout FPort out of place", bytes)
        }
        guard fPort != 0 || layout.fOpts.isEmpty else { fail("DataFrameLayout accepted FPort 0 with FOpts", bytes) }
    } else {
        guard layout.fOpts.upperBound == macEnd, layout.frmPayload.isEmpty else {
            fail("DataFrameLayout has bytes after FOpts but no FPort", bytes)
        }
    }
    guard layout.fCtrlByte == bytes[5],
        layout.fCnt16 == UInt16(bytes[6]) | UInt16(bytes[7]) << 8,
        layout.devAddr.rawValue == littleEndian(bytes[1..<5]),
        layout.mic.rawValue == littleEndian(bytes[macEnd..<count]),
        layout.mic.bytes == Array(bytes[macEnd..<count]),
        let mhdr = try? MHDR(byte: bytes[0]), mhdr.mType == layout.mType, layout.direction == mhdr.mType.dataDirection
    else {
        fail("DataFrameLayout header fields disagree with the bytes", bytes)
    }
    // The value model is built from the same parser: it must accept the frame and agree.
    guard case .data(let frame)? = try? PHYPayload(decoding: bytes),
        frame.mType == layout.mType, frame.devAddr == layout.devAddr, frame.fCnt16 == layout.fCnt16,
        frame.fOpts == Array(bytes[layout.fOpts]), frame.fPort == layout.fPort,
        frame.frmPayload == Array(bytes[layout.frmPayload]), frame.mic == layout.mic
    else {
        fail("DataFrame disagrees with DataFrameLayout", bytes)
    }
}

func checkJoinAcceptPlaintext(_ bytes: [UInt8]) {
    let encryptedAccepts = (try? EncryptedJoinAccept(bytes: bytes)) != nil
    let accept: JoinAccept
    do {
        accept = try JoinAccept(decodingPlaintext: bytes)
    } catch {
        note("JoinAccept: \(error)")
        if encryptedAccepts { fail("EncryptedJoinAccept takes bytes JoinAccept refuses: \(error)", bytes) }
        return
    }
    note("JoinAccept: \(accept)")
    guard encryptedAccepts else { fail("JoinAccept takes bytes EncryptedJoinAccept refuses", bytes) }
    // RxDelay's upper nibble is RFU (LoRaWAN 1.1 §6.2.3) and is written back as 0.
    var expected = bytes
    expected[12] &= 0x0F
    guard accept.encodedPlaintext == expected else {
        fail("JoinAccept re-encodes to \(Hex.encode(accept.encodedPlaintext))", bytes)
    }
    guard (accept.cfList != nil) == (bytes.count == 33), accept.dlSettings.byte == bytes[11] else {
        fail("JoinAccept CFList or DLSettings disagree with the bytes", bytes)
    }
    _ = accept.cfList?.cfListType
    _ = accept.dlSettings.description
    guard let again = try? JoinAccept(decodingPlaintext: accept.encodedPlaintext), again == accept else {
        fail("the re-encoded JoinAccept does not decode to the same value", bytes)
    }
}

func checkRejoinRequest(_ bytes: [UInt8]) {
    let request: RejoinRequest
    do {
        request = try RejoinRequest(decoding: bytes)
    } catch {
        note("RejoinRequest: \(error)")
        return
    }
    note("RejoinRequest: \(request)")
    guard request.encode() == bytes else {
        fail("RejoinRequest re-encodes to \(Hex.encode(request.encode()))", bytes)
    }
    guard request.rejoinType == bytes[1], request.with(mic: request.mic) == request else {
        fail("RejoinRequest type or MIC disagree with the bytes", bytes)
    }
    guard case .rejoinRequest(let viaPHY)? = try? PHYPayload(decoding: bytes), viaPHY == request else {
        fail("PHYPayload disagrees with RejoinRequest(decoding:)", bytes)
    }
    _ = request.joinRequestType
    _ = request.devEUI.description
}

// MARK: - Identifiers

func checkEUI64Text(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    if let hex = Hex.decode(text), Hex.decode(Hex.encode(hex)) != hex {
        fail("Hex.decode(Hex.encode(x)) != x", bytes)
    }
    let viaMAC = try? EUI64(parsingEUIOrMAC: text)
    let eui: EUI64
    do {
        eui = try EUI64(parsing: text)
    } catch {
        note("EUI64: \(error)")
        return
    }
    note("EUI64: \(eui)")
    guard viaMAC == eui else { fail("EUI64(parsingEUIOrMAC:) disagrees with EUI64(parsing:)", bytes) }
    for form in [eui.description, eui.dashed, eui.id6, "0x" + eui.description, Hex.encode(eui.bigEndianBytes)] {
        guard let back = try? EUI64(parsing: form), back == eui else {
            fail("EUI64 \(eui) does not parse back from '\(form)'", bytes)
        }
    }
    guard EUI64(littleEndianBytes: eui.littleEndianBytes) == eui else {
        fail("EUI64 little-endian bytes do not round-trip", bytes)
    }
}

// MARK: - MAC commands

func checkUplinkMACCommands(_ bytes: [UInt8]) {
    let commands: [UplinkMACCommand]
    do {
        commands = try MACCommandCodec.decodeUplink(bytes)
    } catch {
        note("uplink MAC commands: \(error)")
        checkCodecError(error, bytes)
        return
    }
    note("uplink MAC commands: \(commands)")
    let encoded = MACCommandCodec.encode(commands)
    guard encoded == clearingRFUBits(bytes, uplinkDefinedBits) else {
        fail("uplink MAC commands re-encode to \(Hex.encode(encoded))", bytes)
    }
    guard let again = try? MACCommandCodec.decodeUplink(encoded), again == commands else {
        fail("re-encoded uplink MAC commands do not decode to the same commands", bytes)
    }
    for command in commands {
        _ = command.description
        guard command.payloadLength == UplinkMACCommand.payloadLength(cid: command.cid) ?? command.payloadLength else {
            fail("uplink \(command.name) payload length disagrees with the catalog", bytes)
        }
    }
}

func checkDownlinkMACCommands(_ bytes: [UInt8]) {
    let commands: [DownlinkMACCommand]
    do {
        commands = try MACCommandCodec.decodeDownlink(bytes)
    } catch {
        note("downlink MAC commands: \(error)")
        checkCodecError(error, bytes)
        return
    }
    note("downlink MAC commands: \(commands)")
    let encoded = MACCommandCodec.encode(commands)
    guard encoded == clearingRFUBits(bytes, downlinkDefinedBits) else {
        fail("downlink MAC commands re-encode to \(Hex.encode(encoded))", bytes)
    }
    guard let again = try? MACCommandCodec.decodeDownlink(encoded), again == commands else {
        fail("re-encoded downlink MAC commands do not decode to the same commands", bytes)
    }
    for command in commands {
        _ = command.description
        guard command.payloadLength == DownlinkMACCommand.payloadLength(cid: command.cid) ?? command.payloadLength else {
            fail("downlink \(command.name) payload length disagrees with the catalog", bytes)
        }
    }
}

/// The codec documents three errors: an unknown CID, a command cut short, an RFU enumeration value.
func checkCodecError(_ error: FrameError, _ bytes: [UInt8]) {
    _ = error.description
    switch error {
    case .truncated, .unknownMACCommand, .invalidField: break
    default: fail("MAC command codec threw an undocumented error: \(error)", bytes)
    }
}

/// The bits each payload byte defines, per CID, from the payload tables of LoRaWAN 1.1 §5, §14 and
/// §18 (a 0 bit is RFU); the array's count is the payload length. Same table as MACCommandTests.
let uplinkDefinedBits: [UInt8: [UInt8]] = [
    0x01: [0x0F], 0x02: [], 0x03: [0x07], 0x04: [], 0x05: [0x07], 0x06: [0xFF, 0x3F], 0x07: [0x03],
    0x08: [], 0x09: [], 0x0A: [0x03], 0x0B: [0x0F], 0x0C: [], 0x0D: [], 0x0F: [0x01], 0x10: [0x07],
    0x11: [0x03], 0x12: [], 0x13: [0x01], 0x20: [0xFF],
]

let downlinkDefinedBits: [UInt8: [UInt8]] = [
    0x01: [0x0F], 0x02: [0xFF, 0xFF], 0x03: [0xFF, 0xFF, 0xFF, 0x7F], 0x04: [0x0F],
    0x05: [0x7F, 0xFF, 0xFF, 0xFF], 0x06: [], 0x07: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 0x08: [0x0F],
    0x09: [0x3F], 0x0A: [0xFF, 0xFF, 0xFF, 0xFF], 0x0B: [0x0F], 0x0C: [0xFF],
    0x0D: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 0x0E: [0x7F, 0x3F], 0x0F: [0xFF], 0x10: [],
    0x11: [0xFF, 0xFF, 0xFF, 0x0F], 0x12: [0xFF, 0xFF, 0xFF], 0x13: [0xFF, 0xFF, 0xFF], 0x20: [0xFF],
]

/// `bytes` (which decoded) with every RFU bit cleared, walking the commands with the table above.
func clearingRFUBits(_ bytes: [UInt8], _ definedBits: [UInt8: [UInt8]]) -> [UInt8] {
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
        let cid = bytes[index]
        out.append(cid)
        index += 1
        if cid >= 0x80 {
            out.append(contentsOf: bytes[index...])
            break
        }
        for mask in definedBits[cid] ?? [] where index < bytes.count {
            out.append(bytes[index] & mask)
            index += 1
        }
    }
    return out
}

// MARK: - Helpers

func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
}

/// Set LORAWAN_FUZZ_VERBOSE to print what each decoder made of each input.
let verbose = getenv("LORAWAN_FUZZ_VERBOSE").map { String(cString: $0) != "0" } ?? false

func note(_ message: @autoclosure () -> String) {
    if verbose { print(message()) }
}

func fail(_ message: String, _ input: [UInt8]) -> Never {
    fatalError("\(message)\n  input (after the selector byte): \(Hex.encode(input))")
}
