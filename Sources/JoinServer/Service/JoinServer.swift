import BackendInterfaces
import Foundation
import GroupCommit
import LoRaWAN
import Logging

/// The Join Server role: answers `JoinReq`/`RejoinReq`, `AppSKeyReq` and `HomeNSReq` from the peers
/// the transport authenticated (DESIGN.md, Join flow).
///
/// Root keys never leave it: a join answers with the join-accept and the session keys, each wrapped
/// under the KEK of the peer that may hold it — network keys for the asking Network Server, the AppSKey
/// only for the device's Application Server, and only when that server asks. No session key is stored:
/// an `AppSKeyReq` recomputes the AppSKey from the root key and the session's recorded parameters.
///
/// Every answer is a Backend Interfaces answer: failures are `Result` codes with a sentence, logged
/// and counted, never thrown.
public final class JoinServer: Sendable {
    public let keyring: JoinKeyring
    let devices: any JoinDeviceRepository
    private let nonces: GroupCommitQueue<JoinAttempt, JoinAttemptOutcome>
    /// Concurrent joins look their devices up in one read: under load a trip to the database per join
    /// costs more than the join's cryptography.
    private let lookups: GroupCommitQueue<EUI64, JoinDevice?>
    private let configuration: JoinServerConfiguration
    private let clock: @Sendable () -> Date
    private let logger: Logger
    private let metrics: JoinServerMetrics

    public init(
        devices: any JoinDeviceRepository, keys: any JoinKeyRepository, configuration: JoinServerConfiguration = .init(),
        logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.devices = devices
        keyring = JoinKeyring(repository: keys)
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        metrics = JoinServerMetrics()
        nonces = GroupCommitQueue(maximumBatch: configuration.maximumJoinBatch, gatheringDelay: configuration.joinGatheringDelay) { batch in
            try await devices.recordJoins(batch, at: clock())
        }
        lookups = GroupCommitQueue(maximumBatch: configuration.maximumJoinBatch, gatheringDelay: .zero) { devEUIs in
            let found = Dictionary(try await devices.devices(devEUIs).map { ($0.devEUI, $0) }, uniquingKeysWith: { first, _ in first })
            return devEUIs.map { found[$0] }
        }
    }

    // MARK: JoinReq / RejoinReq

    /// Answers a `JoinReq` or `RejoinReq` from `peer` (whom the transport authenticated).
    public func answer(_ request: JoinReq, from peer: BackendPeer) async -> JoinAns {
        let answer: JoinAns
        do {
            answer = try await join(request, from: peer)
        } catch {
            answer = JoinAns(failing: request.header, error.result)
        }
        metrics.joinAnswered(request.header.messageType, answer.result.code)
        if answer.result.isSuccess {
            logger.debug("join accepted", metadata: ["dev_eui": "\(request.devEUI)", "peer": "\(peer)"])
        } else {
            logger.notice("join refused", metadata: [
                "dev_eui": "\(request.devEUI)", "peer": "\(peer)", "message": "\(request.header.messageType.rawValue)",
                "result": "\(answer.result.code.rawValue)", "reason": "\(answer.result.detail ?? "")",
            ])
        }
        return answer
    }

    private func join(_ request: JoinReq, from peer: BackendPeer) async throws(JoinRefusal) -> JoinAns {
        let parsed = try JoinRequestEvaluation.parse(request, from: peer)
        guard let device = try await loadDevice(parsed.devEUI) else {
            throw JoinRefusal(.unknownDevEUI, "no device \(parsed.devEUI)")
        }
        let plan = try JoinRequestEvaluation.plan(parsed, device: device, rootKeys: keyring.rootKeys(for: device))
        // Before any nonce is spent: a join whose keys cannot be delivered must not burn a DevNonce.
        let kek = try peerKEK(for: peer)
        let sessionKeyID = Self.newSessionKeyID()
        let attempt = JoinAttempt(devEUI: device.devEUI, nonce: plan.nonce, sessionKeyID: sessionKeyID, session: plan.sessionParameters)
        let outcome: JoinAttemptOutcome
        do {
            outcome = try await nonces.submit(attempt)
        } catch {
            logger.error("join state could not be stored", metadata: ["dev_eui": "\(device.devEUI)", "error": "\(error)"])
            throw JoinRefusal(.other, "the Join Server could not store the join; try again")
        }
        let joinNonce = try Self.joinNonce(from: outcome, device: device.devEUI, nonce: plan.nonce)
        let built: JoinAcceptance.Built
        do {
            built = try JoinAcceptance.build(plan, joinNonce: joinNonce)
        } catch {
            throw JoinRefusal(.joinReqFailed, "the join-accept could not be built: \(error)")
        }
        var answer = JoinAns(header: request.header.answerHeader(), result: .success, phyPayload: built.phyPayload, lifetime: 0, sessionKeyID: sessionKeyID)
        switch built.keys {
        case .legacy(let nwkSKey, _):
            answer.nwkSKey = envelope(nwkSKey, kek)
        case .separate(let keys):
            answer.fNwkSIntKey = envelope(keys.fNwkSIntKey, kek)
            answer.sNwkSIntKey = envelope(keys.sNwkSIntKey, kek)
            answer.nwkSEncKey = envelope(keys.nwkSEncKey, kek)
        }
        if kek == nil {
            logger.warning("session keys sent without wrapping", metadata: ["peer": "\(peer)", "dev_eui": "\(device.devEUI)"])
        }
        return answer
    }

    private static func joinNonce(from outcome: JoinAttemptOutcome, device: EUI64, nonce: AttemptNonce) throws(JoinRefusal) -> JoinNonce {
        switch outcome {
        case .accepted(let joinNonce): return joinNonce
        case .unknownDevice: throw JoinRefusal(.unknownDevEUI, "no device \(device)")
        case .transferred: throw JoinRefusal(.joinReqFailed, "device \(device) was transferred to another Join Server")
        case .devNonceReused: throw JoinRefusal(.joinReqFailed, "DevNonce \(nonce.derivationValue) was already used by device \(device)")
        case .nonceNotIncreasing(let last):
            throw JoinRefusal(.joinReqFailed, "\(nonce.name) \(nonce.derivationValue) of device \(device) is not greater than the last one, \(last)")
        case .joinNonceExhausted: throw JoinRefusal(.joinReqFailed, "device \(device) has used every JoinNonce; it needs new root keys")
        }
    }

    // MARK: AppSKeyReq

    /// Answers an `AppSKeyReq`: only the device's own Application Server gets its AppSKey, wrapped.
    public func answer(_ request: AppSKeyReq, from peer: BackendPeer) async -> AppSKeyAns {
        let answer: AppSKeyAns
        do {
            answer = try await appSKey(request, from: peer)
        } catch {
            answer = AppSKeyAns(failing: request.header, error.result)
            logger.notice("AppSKey refused", metadata: [
                "dev_eui": "\(request.devEUI)", "peer": "\(peer)", "result": "\(error.result.code.rawValue)", "reason": "\(error.result.detail ?? "")",
            ])
        }
        metrics.appSKeyAnswered(answer.result.code)
        return answer
    }

    private func appSKey(_ request: AppSKeyReq, from peer: BackendPeer) async throws(JoinRefusal) -> AppSKeyAns {
        guard case .applicationServer(let asID) = peer else {
            throw JoinRefusal(.activationDisallowed, "only an Application Server may ask for an AppSKey, not \(peer)")
        }
        guard request.header.senderID == asID.rawValue else {
            throw JoinRefusal(.unknownSender, "SenderID \(request.header.senderID) is not the client certificate's AS-ID \(asID)")
        }
        guard let device = try await loadDevice(request.devEUI) else { throw JoinRefusal(.unknownDevEUI, "no device \(request.devEUI)") }
        guard (device.applicationServerID ?? configuration.defaultApplicationServerID) == asID else {
            throw JoinRefusal(.activationDisallowed, "device \(device.devEUI) does not deliver to Application Server \(asID)")
        }
        let session: JoinSession?
        do {
            session = try await devices.session(devEUI: device.devEUI, sessionKeyID: request.sessionKeyID)
        } catch {
            logger.error("session could not be read", metadata: ["dev_eui": "\(device.devEUI)", "error": "\(error)"])
            throw JoinRefusal(.other, "the Join Server could not read the session; try again")
        }
        guard let session else { throw JoinRefusal(.unknownDevEUI, "device \(device.devEUI) has no session with that SessionKeyID") }
        guard let rootKeys = keyring.rootKeys(for: device),
            let keys = DerivedSessionKeys.derive(session.parameters, joinNonce: session.joinNonce, rootKeys: rootKeys)
        else {
            throw JoinRefusal(.joinReqFailed, "the root keys of device \(device.devEUI) changed since that session")
        }
        let kek = try peerKEK(for: peer)
        return AppSKeyAns(
            header: request.header.answerHeader(), result: .success, devEUI: device.devEUI, appSKey: envelope(keys.appSKey, kek),
            sessionKeyID: request.sessionKeyID)
    }

    // MARK: HomeNSReq

    public func answer(_ request: HomeNSReq, from peer: BackendPeer) async -> HomeNSAns {
        do throws(JoinRefusal) {
            guard case .networkServer(let netID) = peer, (try? NetID(parsing: request.header.senderID)) == netID else {
                throw JoinRefusal(.unknownSender, "SenderID \(request.header.senderID) is not the client certificate's identity \(peer)")
            }
            guard let device = try await loadDevice(request.devEUI) else { throw JoinRefusal(.unknownDevEUI, "no device \(request.devEUI)") }
            guard let home = device.homeNetID else {
                throw JoinRefusal(.activationDisallowed, "device \(device.devEUI) has no home network")
            }
            return HomeNSAns(header: request.header.answerHeader(), result: .success, hNetID: home)
        } catch {
            logger.notice("HomeNS refused", metadata: ["dev_eui": "\(request.devEUI)", "peer": "\(peer)", "result": "\(error.result.code.rawValue)"])
            return HomeNSAns(failing: request.header, error.result)
        }
    }

    // MARK: Housekeeping

    /// Sessions replaced by a newer join are kept this long, so an Application Server that was down
    /// during a rejoin can still fetch the key of frames that were in flight.
    public static let replacedSessionRetention: TimeInterval = 7 * 86_400

    /// Forgets sessions a newer join replaced more than ``replacedSessionRetention`` ago.
    @discardableResult
    public func pruneReplacedSessions() async throws -> Int {
        try await devices.pruneSessions(replacedBefore: clock().addingTimeInterval(-Self.replacedSessionRetention))
    }

    // MARK: Keys and devices

    private func loadDevice(_ devEUI: EUI64) async throws(JoinRefusal) -> JoinDevice? {
        do {
            return try await lookups.submit(devEUI)
        } catch {
            logger.error("device could not be read", metadata: ["dev_eui": "\(devEUI)", "error": "\(error)"])
            throw JoinRefusal(.other, "the Join Server could not read the device; try again")
        }
    }

    /// The KEK of the peer that receives keys (network keys for an NS, the AppSKey for an AS); `nil`
    /// means "send in clear", which needs the configuration switch.
    private func peerKEK(for peer: BackendPeer) throws(JoinRefusal) -> LabeledKEK? {
        if let kek = keyring.kek(for: peer) { return kek }
        guard configuration.allowPlainSessionKeys else {
            throw JoinRefusal(.joinReqFailed, "no key-encryption key is configured for \(peer)")
        }
        return nil
    }

    private func envelope<Role>(_ key: AES128Key<Role>, _ kek: LabeledKEK?) -> KeyEnvelope {
        if let kek { KeyEnvelope(wrapping: key, under: kek) } else { KeyEnvelope(plain: key) }
    }

    /// 128 random bits: unguessable, so a session key ID names a session without revealing anything.
    static func newSessionKeyID() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

extension AttemptNonce {
    var name: String {
        switch self {
        case .devNonce: "DevNonce"
        case .rjCount1: "RJcount1"
        case .rjCount0: "RJcount0"
        }
    }
}
