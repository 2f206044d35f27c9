import BackendInterfaces
import LoRaWAN

/// Builds the answer to an accepted join once storage has given it a JoinNonce: the session keys and
/// the encrypted join-accept (LoRaWAN 1.0.4 §6.2.5-6.2.6, 1.1 §6.2.2-6.2.3). Pure.
enum JoinAcceptance {
    struct Built: Sendable {
        let phyPayload: [UInt8]
        let keys: DerivedSessionKeys
    }

    static func build(_ plan: JoinPlan, joinNonce: JoinNonce) throws(FrameError) -> Built {
        guard let keys = DerivedSessionKeys.derive(plan.sessionParameters, joinNonce: joinNonce, rootKeys: plan.rootKeys) else {
            throw .invalidField(field: "root keys", reason: "do not fit the \(plan.derivation) derivation")
        }
        var accept = JoinAccept(
            joinNonce: joinNonce, homeNetID: plan.netID, devAddr: plan.devAddr, dlSettings: plan.dlSettings,
            rxDelay: plan.rxDelay, cfList: plan.cfList)
        let message = accept.encodedWithoutMIC
        let phyPayload: [UInt8]
        switch (plan.derivation, plan.rootKeys) {
        case (.legacy, .legacy(let appKey)):
            accept.mic = JoinMIC.computeLegacyJoinAcceptMIC(key: appKey, message: message)
            phyPayload = try JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: appKey)
        case (.optNegZero, .separate(let nwkKey, _)):
            accept.mic = JoinMIC.computeLegacyJoinAcceptMIC(key: nwkKey, message: message)
            phyPayload = try JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: nwkKey)
        case (.optNegOne, .separate(let nwkKey, _)):
            let js = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: nwkKey, devEUI: plan.devEUI)
            accept.mic = JoinMIC.computeJoinAcceptMIC(
                jsIntKey: js.jsIntKey, joinReqType: plan.request.joinRequestType, joinEUI: plan.joinEUI,
                devNonce: plan.nonce.derivationValue, message: message)
            // A join-request's accept is encrypted with NwkKey, a rejoin's with JSEncKey (1.1 §6.2.3).
            switch plan.request {
            case .joinRequest: phyPayload = try JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: nwkKey)
            case .rejoinRequest: phyPayload = try JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: js.jsEncKey)
            }
        default:
            // JoinRequestEvaluation only plans derivations that fit the keys.
            throw .invalidField(field: "root keys", reason: "do not fit the \(plan.derivation) derivation")
        }
        return Built(phyPayload: phyPayload, keys: keys)
    }
}

/// The session keys of one join, shaped the way the answer carries them: one NwkSKey for a 1.0 session
/// (also a 1.1 device joined with OptNeg = 0), three network keys for a 1.1 session.
enum DerivedSessionKeys: Sendable {
    case legacy(nwkSKey: NwkSKey, appSKey: AppSKey)
    case separate(SessionKeys)

    /// `nil` when the root keys cannot make this derivation (a 1.0 device's single key for a 1.1 one).
    static func derive(_ session: SessionParameters, joinNonce: JoinNonce, rootKeys: RootKeys) -> DerivedSessionKeys? {
        let devNonce = DevNonce(session.nonce)
        switch (session.derivation, rootKeys) {
        case (.legacy, .legacy(let appKey)):
            let keys = SessionKeyDerivation.deriveLegacySessionKeys(appKey: appKey, joinNonce: joinNonce, netID: session.netID, devNonce: devNonce)
            return .legacy(nwkSKey: keys.nwkSKey, appSKey: keys.appSKey)
        case (.optNegZero, .separate(let nwkKey, _)):
            let keys = SessionKeyDerivation.deriveSessionKeysForOptNegZero(
                nwkKey: nwkKey, joinNonce: joinNonce, netID: session.netID, devNonce: devNonce)
            return .legacy(nwkSKey: keys.optNegZeroNwkSKey, appSKey: keys.appSKey)
        case (.optNegOne, .separate(let nwkKey, let appKey)):
            return .separate(SessionKeyDerivation.deriveSessionKeys(
                nwkKey: nwkKey, appKey: appKey, joinNonce: joinNonce, joinEUI: session.joinEUI, devNonce: devNonce))
        default:
            return nil
        }
    }

    var appSKey: AppSKey {
        switch self {
        case .legacy(_, let appSKey): appSKey
        case .separate(let keys): keys.appSKey
        }
    }
}
