import BackendInterfaces
import LoRaWAN

/// The checks of a `JoinReq` or `RejoinReq` that need no nonce state, in the order whose failures the
/// Backend Interfaces name (reference: how The Things Stack's Join Server answers): who asks, whether the
/// message is well formed, which device, whether that NS may activate it, which keys, the MIC.
///
/// Pure: the device and its root keys are looked up by the caller, so this is tested with vectors.
enum JoinRequestEvaluation {
    /// Parses and checks the request's frame, without the device: enough to know which device to load.
    static func parse(_ request: JoinReq, from peer: BackendPeer) throws(JoinRefusal) -> ParsedJoinRequest {
        guard request.header.messageType == .joinReq || request.header.messageType == .rejoinReq else {
            throw JoinRefusal(.malformedRequest, "\(request.header.messageType.rawValue) is not a join or rejoin request")
        }
        guard case .networkServer(let netID) = peer else {
            throw JoinRefusal(.activationDisallowed, "only a Network Server may send \(request.header.messageType.rawValue), not \(peer)")
        }
        guard let senderNetID = try? NetID(parsing: request.header.senderID), senderNetID == netID else {
            throw JoinRefusal(.unknownSender, "SenderID \(request.header.senderID) is not the client certificate's NetID \(netID)")
        }
        let kind: JoinRequestKind
        do throws(FrameError) {
            switch request.header.messageType {
            case .rejoinReq: kind = .rejoinRequest(try RejoinRequest(decoding: request.phyPayload))
            default: kind = .joinRequest(try JoinRequest(decoding: request.phyPayload))
            }
        } catch {
            throw JoinRefusal(.malformedRequest, "PHYPayload: \(error)")
        }
        let devEUI: EUI64
        var joinEUI: EUI64?
        switch kind {
        case .joinRequest(let join):
            devEUI = join.devEUI
            joinEUI = join.joinEUI
        case .rejoinRequest(let rejoin):
            devEUI = rejoin.devEUI
            if case .type1(let rejoinJoinEUI, _, _, _) = rejoin { joinEUI = rejoinJoinEUI }
        }
        guard devEUI == request.devEUI else {
            throw JoinRefusal(.malformedRequest, "DevEUI \(request.devEUI) is not the PHYPayload's DevEUI \(devEUI)")
        }
        if let joinEUI, let receiver = try? EUI64(parsing: request.header.receiverID), receiver != joinEUI {
            throw JoinRefusal(.malformedRequest, "ReceiverID \(request.header.receiverID) is not the PHYPayload's JoinEUI \(joinEUI)")
        }
        guard request.rxDelay <= 15 else {
            throw JoinRefusal(.malformedRequest, "RxDelay \(request.rxDelay) is more than 15")
        }
        return ParsedJoinRequest(request: request, kind: kind, netID: netID, devEUI: devEUI, joinEUI: joinEUI)
    }

    /// Checks the device and its keys against the parsed request and returns what storage must decide.
    /// - Parameter rootKeys: the device's keys, or those derived from a master key; `nil` when it has none.
    static func plan(_ parsed: ParsedJoinRequest, device: JoinDevice, rootKeys: RootKeys?) throws(JoinRefusal) -> JoinPlan {
        let request = parsed.request
        if let joinEUI = parsed.joinEUI, joinEUI != device.joinEUI {
            throw JoinRefusal(.unknownDevEUI, "no device \(device.devEUI) with JoinEUI \(joinEUI)")
        }
        guard device.transferredAt == nil else {
            throw JoinRefusal(.joinReqFailed, "device \(device.devEUI) was transferred to another Join Server")
        }
        if let home = device.homeNetID, home != parsed.netID {
            throw JoinRefusal(.activationDisallowed, "device \(device.devEUI) belongs to NetID \(home), not \(parsed.netID)")
        }
        guard let rootKeys, rootKeys.fit(device.macVersion) else {
            throw JoinRefusal(.joinReqFailed, "device \(device.devEUI) has no root keys")
        }
        let derivation: SessionDerivation
        switch (device.macVersion.hasSeparateNetworkRootKey, request.macVersion.hasSeparateNetworkRootKey) {
        case (false, false): derivation = .legacy
        case (true, true): derivation = .optNegOne
        // A 1.1 device on a network that speaks 1.0 (LoRaWAN 1.1 §6.2.3: OptNeg = 0).
        case (true, false): derivation = .optNegZero
        case (false, true):
            throw JoinRefusal(.joinReqFailed, "device \(device.devEUI) is LoRaWAN \(device.macVersion), the request asks for \(request.macVersion)")
        }
        let nonce: AttemptNonce
        switch parsed.kind {
        case .joinRequest(let join):
            nonce = .devNonce(join.devNonce, device.macVersion.devNonceRule)
            guard micMatches(join, rootKeys: rootKeys) else {
                throw JoinRefusal(.micFailed, "join-request MIC mismatch")
            }
        case .rejoinRequest(let rejoin):
            // Rejoins exist only between a 1.1 device and a 1.1 network (LoRaWAN 1.1 §6.2.4).
            guard derivation == .optNegOne, case .separate(let nwkKey, _) = rootKeys else {
                throw JoinRefusal(.joinReqFailed, "rejoin-requests need LoRaWAN 1.1 on both sides")
            }
            switch rejoin {
            case .type1(_, _, let count, let mic):
                let jsIntKey = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: nwkKey, devEUI: device.devEUI).jsIntKey
                guard JoinMIC.computeRejoinRequestMIC(jsIntKey: jsIntKey, message: Array(request.phyPayload.dropLast(4))) == mic else {
                    throw JoinRefusal(.micFailed, "rejoin-request type 1 MIC mismatch")
                }
                nonce = .rjCount1(count)
            // Types 0 and 2 are signed with SNwkSIntKey, which only the Network Server holds; it checked
            // the MIC and RJcount0 before forwarding (LoRaWAN 1.1 §6.2.4.1).
            case .type0(_, _, let count, _), .type2(_, _, let count, _):
                nonce = .rjCount0(count)
            }
        }
        var dlSettings = request.dlSettings
        dlSettings.optNeg = derivation == .optNegOne
        return JoinPlan(
            devEUI: device.devEUI, joinEUI: device.joinEUI, request: parsed.kind, derivation: derivation, rootKeys: rootKeys,
            nonce: nonce, netID: parsed.netID, devAddr: request.devAddr, dlSettings: dlSettings, rxDelay: request.rxDelay,
            cfList: request.cfList)
    }

    /// LoRaWAN 1.0.x signs join-requests with AppKey, 1.1 with NwkKey (1.1 §6.2.2).
    private static func micMatches(_ join: JoinRequest, rootKeys: RootKeys) -> Bool {
        let message = join.encodedWithoutMIC
        switch rootKeys {
        case .legacy(let appKey): return JoinMIC.computeLegacyJoinRequestMIC(appKey: appKey, message: message) == join.mic
        case .separate(let nwkKey, _): return JoinMIC.computeJoinRequestMIC(nwkKey: nwkKey, message: message) == join.mic
        }
    }
}

/// A request whose frame parsed and whose sender is the Network Server it claims to be.
struct ParsedJoinRequest: Sendable {
    let request: JoinReq
    let kind: JoinRequestKind
    let netID: NetID
    let devEUI: EUI64
    /// From the frame; a rejoin of type 0 or 2 carries none (the device's own is used).
    let joinEUI: EUI64?
}
