import JoinServer
import Logging
import ServiceLifecycle

/// Reloads the Join Server's master keys and peer KEKs every few seconds, so a peer added or removed
/// with the CLI beside a running server (or by another instance on PostgreSQL) takes effect without a
/// restart. Changes made through this server's API apply at once.
struct JoinKeyringFollower: Service {
    static let interval: Duration = .seconds(2)

    let keyring: JoinKeyring
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown {
            while true {
                do { try await Task.sleep(for: Self.interval) } catch { return }
                do {
                    try await keyring.reload()
                } catch {
                    logger.warning("could not reload Join Server keys", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
