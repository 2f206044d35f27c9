import JoinServer
import Logging
import ServiceLifecycle

/// Reloads the Join Server's master keys and peer KEKs every few seconds, so a peer added or removed
/// with the CLI beside a running server (or by another instance on PostgreSQL) takes effect without a
/// restart. Changes made through this server's API apply at once. Once an hour it also prunes the
/// sessions newer joins replaced, so `join_sessions` grows with devices, not with joins.
struct JoinKeyringFollower: Service {
    static let interval: Duration = .seconds(2)
    static let pruneEvery = 1800

    let joinServer: JoinServer
    let logger: Logger
    var keyring: JoinKeyring { joinServer.keyring }

    func run() async {
        await cancelWhenGracefulShutdown {
            var ticks = 0
            while true {
                do { try await Task.sleep(for: Self.interval) } catch { return }
                ticks += 1
                if ticks % Self.pruneEvery == 0 {
                    do {
                        let pruned = try await joinServer.pruneReplacedSessions()
                        if pruned > 0 { logger.info("pruned replaced join sessions", metadata: ["count": "\(pruned)"]) }
                    } catch {
                        logger.warning("could not prune join sessions", metadata: ["error": "\(error)"])
                    }
                }
                do {
                    try await keyring.reload()
                } catch {
                    logger.warning("could not reload Join Server keys", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
