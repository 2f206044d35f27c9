import LoRaWAN
import StrictJSON

/// The body of a station's `POST /update-info` (basics-station-protocol §2.1): who it is and what it
/// has, so CUPS can answer with only what changed.
///
/// Only `router` is required. A real station sends every field, but The Things Stack's documented
/// vendor test sends just `{"router":"<ID6>"}`, and a CUPS server should answer that too. Unknown
/// fields are ignored, as the station ignores ours.
public struct CUPSUpdateRequest: Sendable, Equatable {
    /// The gateway EUI the station claims; the CUPS handler must check it against the client certificate.
    public var router: EUI64
    /// The station's current `cups.uri`, or `nil` when it has none (or did not say).
    public var cupsURI: String?
    /// The station's current `tc.uri`, or `nil`.
    public var tcURI: String?
    /// CRC-32 of `cups.trust` + `cups.crt` + `cups.key` (an absent file counts as 4 zero bytes).
    public var cupsCredentialsCRC: UInt32?
    /// CRC-32 of `tc.trust` + `tc.crt` + `tc.key`.
    public var tcCredentialsCRC: UInt32?
    /// `"<version>(<platform>/<variant>) <build date>"`.
    public var station: String?
    /// The platform, e.g. `"linux"`.
    public var model: String?
    /// The contents of `version.txt`, if the station has one.
    public var package: String?
    /// CRC-32 of each firmware signing key (`sig-N.key`) the station holds.
    public var signingKeyCRCs: [UInt32]

    public init(
        router: EUI64, cupsURI: String? = nil, tcURI: String? = nil, cupsCredentialsCRC: UInt32? = nil,
        tcCredentialsCRC: UInt32? = nil, station: String? = nil, model: String? = nil, package: String? = nil,
        signingKeyCRCs: [UInt32] = []
    ) {
        self.router = router
        self.cupsURI = cupsURI
        self.tcURI = tcURI
        self.cupsCredentialsCRC = cupsCredentialsCRC
        self.tcCredentialsCRC = tcCredentialsCRC
        self.station = station
        self.model = model
        self.package = package
        self.signingKeyCRCs = signingKeyCRCs
    }

    /// Decodes the JSON body of the request.
    public init(decoding body: [UInt8]) throws(StationProtocolError) {
        let object = try StationJSON.message(body)
        router = try StationRouterID.eui(in: object, acceptsInteger: false)
        cupsURI = try object.optionalString("cupsUri")
        tcURI = try object.optionalString("tcUri")
        cupsCredentialsCRC = try object.optionalInteger("cupsCredCrc")
        tcCredentialsCRC = try object.optionalInteger("tcCredCrc")
        station = try object.optionalString("station")
        model = try object.optionalString("model")
        package = try object.optionalString("package")
        signingKeyCRCs = []
        if let keys = object.optionalValue("keys") {
            guard case .array(let elements) = keys else {
                throw .wrongType(field: "keys", expected: "an array of CRC-32 values", found: keys.kindDescription)
            }
            for (index, element) in elements.enumerated() {
                signingKeyCRCs.append(try JSONValue.integer(element, field: "keys[\(index)]"))
            }
        }
    }
}
