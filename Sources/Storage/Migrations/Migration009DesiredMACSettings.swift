import SQLKit

extension Migration {
    /// The MAC settings an operator wants for a Network Server device (`DesiredMACSettingsDocument`,
    /// compact binary), NULL when there is no wish: every existing device has none.
    static let desiredMACSettings = Migration(version: 9, name: "desired_mac_settings") { sql, _ in
        try await sql.alter(table: "ns_devices")
            .column("desired_mac_settings", type: .blob)
            .run()
    }
}
