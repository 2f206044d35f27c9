import StrictJSON

/// The station's first message on the traffic connection (`version`, basics-station-protocol §3.3):
/// what software it runs and what it can do. The LNS answers it with `router_config`.
public struct StationVersion: Sendable, Equatable {
    /// `"2.0.6(linux/testsim)"`: version, platform and variant.
    public var station: String
    /// The contents of `version.txt`, or `nil`.
    public var firmware: String?
    public var package: String?
    /// The platform, e.g. `"linux"`.
    public var model: String?
    /// The LNS protocol version; 2 for current stations.
    public var protocolVersion: Int
    /// Optional features, e.g. `rmtsh` (remote shell, which Gatehouse never uses) or `gps`.
    public var features: [String]

    public init(
        station: String, firmware: String? = nil, package: String? = nil, model: String? = nil,
        protocolVersion: Int, features: [String] = []
    ) {
        self.station = station
        self.firmware = firmware
        self.package = package
        self.model = model
        self.protocolVersion = protocolVersion
        self.features = features
    }

    init(decoding object: JSONObject) throws(StationProtocolError) {
        station = try object.string("station")
        firmware = try object.optionalString("firmware")
        package = try object.optionalString("package")
        model = try object.optionalString("model")
        protocolVersion = Int(try object.integer("protocol", in: 0...Int64(Int32.max)))
        features = (try object.optionalString("features") ?? "").split(separator: " ").map(String.init)
    }
}
