import Foundation
import JoinServer
import SQLKit

extension SQLJoinDeviceRepository {
    /// One statement on both databases: a session goes when it is old and its device has a newer one.
    public func pruneSessions(replacedBefore time: Date) async throws -> Int {
        try await engine.transaction { sql in
            try await sql.raw("""
                DELETE FROM join_sessions
                WHERE created_at < \(bind: StoredTime.microseconds(time))
                AND EXISTS (SELECT 1 FROM join_sessions AS newer
                            WHERE newer.dev_eui = join_sessions.dev_eui AND newer.created_at > join_sessions.created_at)
                RETURNING dev_eui
                """).all().count
        }
    }
}
