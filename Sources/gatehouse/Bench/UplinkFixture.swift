import LoRaWAN

/// Frames and keys for the core benchmark, built once with the same code the servers use.
struct UplinkFixture {
    let appKey = AppKey(bytes: (0..<16).map { UInt8($0) })!
    let block: [UInt8] = Array(repeating: 0x42, count: 16)
    let legacyKeys: NetworkSessionKeys
    let currentKeys: NetworkSessionKeys
    let appSKey: AppSKey
    let legacyFrame: [UInt8]
    let currentFrame: [UInt8]
    let fCnt: UInt32 = 0x0001_0007
    let parameters = MICParameters(confFCnt: 0, txDR: 5, txCh: 2)
    let joinRequest: [UInt8]
    let nwkKey = NwkKey(bytes: (0..<16).map { UInt8(0xA0 + $0) })!

    init() {
        let devAddr = DevAddr(0x2601_1234)
        appSKey = AppSKey(bytes: (0..<16).map { UInt8(0x10 + $0) })!
        legacyKeys = .legacy(nwkSKey: NwkSKey(bytes: (0..<16).map { UInt8(0x20 + $0) })!)
        currentKeys = .current(
            fNwkSIntKey: FNwkSIntKey(bytes: (0..<16).map { UInt8(0x30 + $0) })!,
            sNwkSIntKey: SNwkSIntKey(bytes: (0..<16).map { UInt8(0x40 + $0) })!,
            nwkSEncKey: NwkSEncKey(bytes: (0..<16).map { UInt8(0x50 + $0) })!, fOptsVariant: .errata)
        let payload = PayloadCipher.cryptFRMPayload(
            Array("temperature=21.5;h=4".utf8), key: appSKey, direction: .uplink, devAddr: devAddr, fCnt: fCnt)
        let frame = DataFrame(
            confirmed: false, devAddr: devAddr, fCtrl: .uplink(UplinkFCtrl(adr: true)), fCnt16: UInt16(truncatingIfNeeded: fCnt),
            fPort: 10, frmPayload: payload)
        // The fixture is built from constants that are valid by construction.
        legacyFrame = (try? DataFrameCrypto.seal(frame, fCnt: fCnt, keys: legacyKeys)) ?? []
        currentFrame = (try? DataFrameCrypto.seal(frame, fCnt: fCnt, keys: currentKeys, micParameters: parameters)) ?? []
        var request = JoinRequest(joinEUI: EUI64(0x70B3_D57E_D000_0001), devEUI: EUI64(0x0004_A30B_001C_0530), devNonce: DevNonce(77))
        request.mic = JoinMIC.computeJoinRequestMIC(nwkKey: nwkKey, message: request.encodedWithoutMIC)
        joinRequest = request.encode()
    }

    /// What the Network Server and Application Server do per 1.0 uplink, without allocating:
    /// parse the layout, verify the MIC, decrypt the FRMPayload into a reused buffer.
    func openLegacyUplinks(_ n: Int) -> UInt64 { open(n, frame: legacyFrame, keys: legacyKeys, parameters: MICParameters()) }

    func openUplinks(_ n: Int) -> UInt64 { open(n, frame: currentFrame, keys: currentKeys, parameters: parameters) }

    private func open(_ n: Int, frame: [UInt8], keys: NetworkSessionKeys, parameters: MICParameters) -> UInt64 {
        var output = [UInt8](repeating: 0, count: 255)
        var acc: UInt64 = 0
        frame.withUnsafeBytes { raw in
            output.withUnsafeMutableBytes { out in
                for _ in 0..<n {
                    guard let layout = try? DataFrameLayout(parsing: raw) else { continue }
                    let full = FrameCounter.full(fromLow16: layout.fCnt16, lastAccepted: fCnt &- 1)
                    guard DataFrameCrypto.verifyMIC(frame: raw, layout: layout, fCnt: full, keys: keys, micParameters: parameters) else { continue }
                    let clear = UnsafeMutableRawBufferPointer(rebasing: out[0..<layout.frmPayload.count])
                    clear.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[layout.frmPayload]))
                    PayloadCipher.cryptFRMPayload(clear, key: appSKey, direction: .uplink, devAddr: layout.devAddr, fCnt: full)
                    acc &+= UInt64(clear[0])
                }
            }
        }
        return acc
    }

    /// The Join Server's crypto per join: MIC check, 1.1 key derivation (session and JS keys), join-accept
    /// MIC and encryption.
    func handleJoins(_ n: Int) -> UInt64 {
        var acc: UInt64 = 0
        for i in 0..<n {
            guard let request = try? JoinRequest(decoding: joinRequest),
                JoinMIC.computeJoinRequestMIC(nwkKey: nwkKey, message: request.encodedWithoutMIC) == request.mic
            else { continue }
            let joinNonce = JoinNonce(UInt32(i & 0xFFFF))!
            let keys = SessionKeyDerivation.deriveSessionKeys(
                nwkKey: nwkKey, appKey: appKey, joinNonce: joinNonce, joinEUI: request.joinEUI, devNonce: request.devNonce)
            let js = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: nwkKey, devEUI: request.devEUI)
            var accept = JoinAccept(
                joinNonce: joinNonce, homeNetID: NetID(0x13)!, devAddr: DevAddr(0x2601_0000 | UInt32(i & 0xFFFF)),
                dlSettings: DLSettings(byte: 0x83), rxDelay: 1)
            accept.mic = JoinMIC.computeJoinAcceptMIC(
                jsIntKey: js.jsIntKey, joinReqType: .joinRequest, joinEUI: request.joinEUI, devNonce: request.devNonce.rawValue,
                message: accept.encodedWithoutMIC)
            let wire = (try? JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: nwkKey)) ?? []
            acc &+= UInt64(wire.last ?? 0) &+ UInt64(keys.appSKey == keys.appSKey ? 1 : 0)
        }
        return acc
    }
}
