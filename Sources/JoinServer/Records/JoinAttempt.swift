import BackendInterfaces
import Foundation
import LoRaWAN

/// What a join or rejoin asks storage to decide atomically: accept this nonce under the device's rule,
/// take the next JoinNonce, and remember the session so the Application Server can ask for its AppSKey.
/// Storage decides it in one transaction, so two instances (or a crash and a replay) can never accept
/// the same DevNonce twice nor hand out a JoinNonce twice (DESIGN.md invariant 6).
public struct JoinAttempt: Sendable, Equatable {
    public var devEUI: EUI64
    public var nonce: AttemptNonce
    /// Random, chosen before storing; the `SessionKeyID` the Application Server asks with.
    public var sessionKeyID: [UInt8]
    /// Stored with the JoinNonce storage assigns, so an `AppSKeyReq` can recompute the AppSKey from
    /// the root key.
    public var session: SessionParameters

    public init(devEUI: EUI64, nonce: AttemptNonce, sessionKeyID: [UInt8], session: SessionParameters) {
        self.devEUI = devEUI
        self.nonce = nonce
        self.sessionKeyID = sessionKeyID
        self.session = session
    }
}

/// The nonce a join or rejoin carries and the rule it must meet.
public enum AttemptNonce: Sendable, Equatable {
    /// A join-request's DevNonce under the device's rule.
    case devNonce(DevNonce, DevNonceRule)
    /// A rejoin-request type 1's RJcount1: must exceed the last accepted one (LoRaWAN 1.1 §6.2.4.2).
    case rjCount1(RJCount)
    /// A rejoin-request type 0 or 2: the Network Server checked RJcount0; nothing to record here.
    case rjCount0(RJCount)

    /// The value that stands in for DevNonce in key derivation and the join-accept MIC.
    public var derivationValue: UInt16 {
        switch self {
        case .devNonce(let nonce, _): nonce.rawValue
        case .rjCount1(let count), .rjCount0(let count): count.rawValue
        }
    }
}

/// A session's derivation inputs other than the root keys: enough to recompute its AppSKey when the
/// Application Server asks, so no session key is ever stored.
public struct SessionParameters: Sendable, Equatable {
    public var derivation: SessionDerivation
    public var netID: NetID
    public var joinEUI: EUI64
    /// DevNonce, or the RJcount of a rejoin.
    public var nonce: UInt16

    public init(derivation: SessionDerivation, netID: NetID, joinEUI: EUI64, nonce: UInt16) {
        self.derivation = derivation
        self.netID = netID
        self.joinEUI = joinEUI
        self.nonce = nonce
    }
}

/// Which formula made a session's keys (LoRaWAN 1.0.4 §6.2.5; 1.1 §6.2.2).
public enum SessionDerivation: String, Sendable, Equatable, CaseIterable {
    /// 1.0.x device: AppKey, NetID, DevNonce.
    case legacy
    /// 1.1 device on a 1.0 network (OptNeg = 0): the 1.0 formula under NwkKey.
    case optNegZero
    /// 1.1 device, OptNeg = 1: JoinEUI instead of NetID, NwkKey for network keys.
    case optNegOne
}

/// Storage's decision on one attempt.
public enum JoinAttemptOutcome: Sendable, Equatable {
    /// Accepted; the join-accept must carry this JoinNonce (already stored, so it is never reused).
    case accepted(JoinNonce)
    case unknownDevice
    /// The device was transferred to another Join Server.
    case transferred
    /// 1.0.0-1.0.3: this DevNonce was used before.
    case devNonceReused
    /// 1.0.4/1.1: not greater than the last accepted DevNonce (or RJcount1).
    case nonceNotIncreasing(last: UInt16)
    /// All 2^24 JoinNonces are spent: the device needs new root keys.
    case joinNonceExhausted
}

/// A session as stored: its parameters and the JoinNonce it was given.
public struct JoinSession: Sendable, Equatable {
    public var sessionKeyID: [UInt8]
    public var devEUI: EUI64
    public var parameters: SessionParameters
    public var joinNonce: JoinNonce
    public var createdAt: Date

    public init(sessionKeyID: [UInt8], devEUI: EUI64, parameters: SessionParameters, joinNonce: JoinNonce, createdAt: Date) {
        self.sessionKeyID = sessionKeyID
        self.devEUI = devEUI
        self.parameters = parameters
        self.joinNonce = joinNonce
        self.createdAt = createdAt
    }
}
