import Foundation
import LoRaWAN

/// Everything the Application Server tells an application, through webhooks and the live stream:
/// joins, decrypted uplinks, the life of downlinks, and errors.
///
/// ## JSON (schema 1)
///
/// ``json`` writes one object, compact, with its members always in the order below, so the same
/// event is the same bytes every time (webhook signatures cover those bytes). Every event starts with
/// the same four members:
///
/// | member | JSON type | meaning |
/// | --- | --- | --- |
/// | `type` | string | `uplink`, `join`, `downlink_queued`, `downlink_sent`, `downlink_acked`, `downlink_nacked`, `downlink_dropped`, `error` |
/// | `time` | string | RFC 3339 UTC with milliseconds (`2024-05-01T12:00:00.262Z`) |
/// | `application_id` | string or null | null when the device is assigned to no application |
/// | `dev_eui` | string or null | 16 upper-case hex digits; null only for an `error` not attributable to a device |
///
/// and continues by type. EUIs and DevAddrs are upper-case hex, big-endian (as printed on labels);
/// `downlink_id` is a lower-case UUID.
///
/// - `uplink`: `dev_addr` (8 hex digits), `f_port` (1-223), `f_cnt` (full 32-bit counter), `payload`
///   (the decrypted FRMPayload in standard base64 with padding), `confirmed` (bool), `data_rate` (the
///   region's data rate index, 0-15), `frequency` (Hz), `gateways`: an array, best reception first, of
///   `{gateway_eui, rssi (dBm), snr (dB), time}`; then, only for a device activated by
///   personalisation (ABP: keys and counters for life), `activation` (`"ABP"`) and `insecure` (`true`).
/// - `join`: `dev_addr`, `join_eui`, `mac_version` (`1.0.3`, `1.1`...).
/// - `downlink_queued`: `downlink_id`, `f_port`, `f_cnt` (the downlink counter it is encrypted with),
///   `confirmed`.
/// - `downlink_sent`, `downlink_acked`, `downlink_nacked`, `downlink_dropped`: `downlink_id`, `detail`
///   (a sentence, may be empty).
/// - `error`: `dev_addr` (or null), `error` (a code: `mic_failed`, `replay_dropped`,
///   `unknown_dev_addr`, `join_refused`, `malformed_frame`, `downlink_dropped`, `unknown_session`,
///   `app_skey_unavailable`, `invalid_uplink`, `storage_failed`), `detail` (a sentence).
///
/// Numbers with an integral value have no fraction (`-57`, not `-57.0`). Members are only ever added
/// at the end of a type's list; receivers should ignore members they do not know.
///
/// An uplink (one line on the wire, wrapped here):
///
/// ```json
/// {"type":"uplink","time":"2024-05-01T12:00:00.262Z","application_id":"weather-stations",
///  "dev_eui":"0004A30B001C0530","dev_addr":"26011BDA","f_port":10,"f_cnt":42,"payload":"AQID",
///  "confirmed":false,"data_rate":5,"frequency":868100000,"gateways":[{"gateway_eui":"B827EBFFFE61A0B2",
///  "rssi":-57,"snr":9.5,"time":"2024-05-01T12:00:00.250Z"}]}
/// ```
///
/// A replayed frame the Network Server dropped:
///
/// ```json
/// {"type":"error","time":"2024-05-01T12:00:01.000Z","application_id":"weather-stations",
///  "dev_eui":"0004A30B001C0530","dev_addr":"26011BDA","error":"replay_dropped",
///  "detail":"FCnt 41 does not advance past 42"}
/// ```
public enum ApplicationEvent: Sendable, Equatable {
    case uplink(UplinkEvent)
    case join(JoinEvent)
    case downlinkQueued(DownlinkQueuedEvent)
    case downlinkOutcome(DownlinkOutcomeEvent)
    case error(ApplicationErrorEvent)

    /// The JSON `type` member.
    public var type: String {
        switch self {
        case .uplink: "uplink"
        case .join: "join"
        case .downlinkQueued: "downlink_queued"
        case .downlinkOutcome(let event): event.type
        case .error: "error"
        }
    }

    /// The application the event is routed to; `nil` when the device belongs to none.
    public var applicationID: ApplicationID? {
        switch self {
        case .uplink(let event): event.applicationID
        case .join(let event): event.applicationID
        case .downlinkQueued(let event): event.applicationID
        case .downlinkOutcome(let event): event.applicationID
        case .error(let event): event.applicationID
        }
    }

    public var devEUI: EUI64? {
        switch self {
        case .uplink(let event): event.devEUI
        case .join(let event): event.devEUI
        case .downlinkQueued(let event): event.devEUI
        case .downlinkOutcome(let event): event.devEUI
        case .error(let event): event.devEUI
        }
    }

    /// When it happened (for an uplink, when the Network Server received its first copy).
    public var time: Date {
        switch self {
        case .uplink(let event): event.receivedAt
        case .join(let event): event.joinedAt
        case .downlinkQueued(let event): event.queuedAt
        case .downlinkOutcome(let event): event.time
        case .error(let event): event.time
        }
    }
}
