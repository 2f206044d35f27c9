import BackendInterfaces
import Foundation
import LoRaWAN
import Logging

/// Obtains the AppSKey of a new session from the Join Server: an `AppSKeyReq` (Backend Interfaces
/// 1.0 §6.4) whose `SenderID` is this Application Server's AS-ID and whose `ReceiverID` is the
/// device's JoinEUI, answered by an `AppSKeyAns` whose key envelope is opened with this server's KEK.
///
/// This is the only way a key enters the Application Server, and it asks for, and opens, an AppSKey
/// only: the envelope is opened `as: AppSKey.self`, and the module never calls `JoinService.join`, whose
/// answer carries network keys (DESIGN.md invariant 3).
public struct AppSKeyFetcher: Sendable {
    public let applicationServerID: ApplicationServerID
    private let joinService: any JoinService
    private let keks: any KEKLookup
    private let protocolVersion: BackendProtocolVersion
    private let acceptsPlainKeys: Bool
    private let transactionID: @Sendable () -> UInt32
    private let logger: Logger

    /// - Parameters:
    ///   - protocolVersion: the Backend Interfaces version requests are written in (ChirpStack's Join
    ///     Server speaks only 1.0).
    ///   - acceptsPlainKeys: whether an envelope without a KEK label (the key in clear) is accepted. Off
    ///     by default; when on, each such key is logged as a warning.
    public init(
        applicationServerID: ApplicationServerID, joinService: any JoinService, keks: any KEKLookup,
        protocolVersion: BackendProtocolVersion = .v1_0, acceptsPlainKeys: Bool = false, logger: Logger,
        transactionID: @escaping @Sendable () -> UInt32 = { UInt32.random(in: .min ... .max) }
    ) {
        self.applicationServerID = applicationServerID
        self.joinService = joinService
        self.keks = keks
        self.protocolVersion = protocolVersion
        self.acceptsPlainKeys = acceptsPlainKeys
        self.transactionID = transactionID
        self.logger = logger
    }

    /// The `AppSKeyReq` for a join.
    public func request(for join: ApplicationJoin) -> AppSKeyReq {
        let header = BackendHeader(
            protocolVersion: protocolVersion, senderID: applicationServerID.rawValue, receiverID: join.joinEUI.description,
            transactionID: transactionID(), messageType: .appSKeyReq)
        return AppSKeyReq(header: header, devEUI: join.devEUI, sessionKeyID: join.sessionKeyID)
    }

    /// Asks the Join Server for the AppSKey of `join`'s session and returns the session to store.
    public func fetch(for join: ApplicationJoin, at time: Date) async throws(AppSKeyFetchError) -> ApplicationSession {
        do {
            let appSKey = try await appSKey(for: join)
            return ApplicationSession(devEUI: join.devEUI, devAddr: join.devAddr, sessionKeyID: join.sessionKeyID, appSKey: appSKey, createdAt: time)
        } catch {
            logger.warning("AppSKey not obtained", metadata: [
                "dev_eui": "\(join.devEUI)", "join_eui": "\(join.joinEUI)", "reason": "\(error)",
            ])
            throw error
        }
    }

    private func appSKey(for join: ApplicationJoin) async throws(AppSKeyFetchError) -> AppSKey {
        let answer: AppSKeyAns
        do {
            answer = try await joinService.appSKey(request(for: join))
        } catch {
            throw .joinServerUnavailable(error)
        }
        guard answer.result.isSuccess else { throw .refused(answer.result.code, detail: answer.result.detail) }
        if let devEUI = answer.devEUI, devEUI != join.devEUI {
            throw .answerMismatch("it is for device \(devEUI), not \(join.devEUI)")
        }
        if let sessionKeyID = answer.sessionKeyID, sessionKeyID != join.sessionKeyID {
            throw .answerMismatch("it is for another SessionKeyID")
        }
        guard let envelope = answer.appSKey else { throw .missingKey }
        if envelope.isPlain {
            guard acceptsPlainKeys else { throw .plainKeyRefused }
            logger.warning("AppSKey received unwrapped", metadata: ["dev_eui": "\(join.devEUI)"])
        }
        do {
            return try envelope.open(as: AppSKey.self, with: keks)
        } catch {
            switch error {
            case .unknownKEKLabel(let label): throw .unknownKEKLabel(label)
            case .unwrapFailed(let label, _): throw .unwrapFailed(label: label)
            case .malformed(let reason): throw .malformedKey(reason)
            }
        }
    }
}
