import BackendInterfaces
import LoRaWAN

/// A join or rejoin that passed every check the Join Server can make before touching its nonce state:
/// what storage must decide (``attempt``) and everything needed to answer once it has.
struct JoinPlan: Sendable {
    let devEUI: EUI64
    let joinEUI: EUI64
    let request: JoinRequestKind
    let derivation: SessionDerivation
    let rootKeys: RootKeys
    let nonce: AttemptNonce
    /// The Network Server's NetID: the join-accept's Home_NetID and, before 1.1, a derivation input.
    let netID: NetID
    let devAddr: DevAddr
    /// As the Network Server asked, with OptNeg set by the derivation the Join Server chose.
    let dlSettings: DLSettings
    let rxDelay: UInt8
    let cfList: CFList?

    var sessionParameters: SessionParameters {
        SessionParameters(derivation: derivation, netID: netID, joinEUI: joinEUI, nonce: nonce.derivationValue)
    }
}

/// What the device sent.
enum JoinRequestKind: Sendable, Equatable {
    case joinRequest(JoinRequest)
    case rejoinRequest(RejoinRequest)

    var joinRequestType: JoinRequestType {
        switch self {
        case .joinRequest: .joinRequest
        case .rejoinRequest(let rejoin): rejoin.joinRequestType
        }
    }
}
