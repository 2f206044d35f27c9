/// Size limits of the Basics Station protocol, in bytes.
public enum StationFrameLimits {
    /// The largest websocket payload Gatehouse sends to a station.
    ///
    /// The station accepts only frames with a 16-bit payload length (< 65,536 bytes) that fit its
    /// 40 KB receive buffer (basics-station-protocol §3.1). 32 KiB stays under both with room for the
    /// frame header; our largest message, a US915 `router_config`, is under 2 KiB.
    public static let maximumOutboundFrameBytes = 32 * 1024

    /// The largest message Gatehouse accepts from a station (a websocket text frame, a router-info
    /// request or a CUPS request body).
    ///
    /// The largest legitimate message is an `updf` carrying a 255-byte PHYPayload: about 510 hex
    /// digits plus 300 bytes of fields, well under 2 KiB; a CUPS request is under 1 KiB. 16 KiB leaves
    /// room for station versions that add fields, while bounding what one frame can cost us to parse.
    public static let maximumInboundMessageBytes = 16 * 1024

    /// The longest `cups.uri`/`tc.uri` or router-info `uri` the station accepts (it must be shorter).
    public static let uriLengthLimit = 128
}
