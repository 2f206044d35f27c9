/// The one place that says which release this is and which specifications it speaks.
///
/// `GET /version`, the `gatehouse_build_info` metric and the command line all read these values,
/// so a release changes exactly one line.
public enum GatehouseVersion {
    /// The product name reported to clients.
    public static let name = "gatehouse"

    /// The release version (Semantic Versioning).
    public static let current = "0.1.0"

    /// LoRaWAN L2 specification versions that end devices may use with this server.
    public static let lorawanVersions = ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.1"]

    /// The LoRaWAN Backend Interfaces specification version spoken between roles.
    public static let backendInterfacesVersion = "1.0"
}
