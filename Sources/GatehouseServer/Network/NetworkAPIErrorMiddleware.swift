import Hummingbird
import NetworkServer

/// Turns the Network Server's typed refusals into ``APIError``s, for its routes only; everything else
/// passes on to ``APIErrorMiddleware``. The one place these errors meet HTTP statuses: a value that
/// does not fit the device is a 400 naming the member, an unknown device or a device without a
/// session 404, a ForceRejoinReq for a LoRaWAN 1.0 device 409.
struct NetworkAPIErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as MACSettingsError {
            throw Self.apiError(for: error)
        }
    }

    static func apiError(for error: MACSettingsError) -> APIError {
        switch error {
        case .unknownDevice:
            APIError(status: .notFound, code: .notFound, message: error.description)
        case .noSession:
            APIError(status: .notFound, code: .noSession, message: error.description)
        case .invalid(let invalid):
            .field(member(invalid.field), invalid.reason)
        case .forceRejoinNeedsLoRaWAN11:
            APIError(status: .conflict, code: .conflict, message: "mac_version: \(error.description)")
        case .forceRejoinDataRate:
            .field("data_rate", error.description)
        case .sessionBusy:
            APIError(status: .serviceUnavailable, code: .unavailable, message: error.description)
        }
    }

    /// The request member a desired setting comes from.
    static func member(_ field: DesiredMACSettingsField) -> String {
        switch field {
        case .rx1DROffset: "rx1_dr_offset"
        case .rx2DataRate: "rx2_data_rate"
        case .rx2Frequency: "rx2_frequency"
        case .rx1Delay: "rx1_delay"
        case .maxDutyCycle: "max_duty_cycle"
        case .channelIndex(let position): "channels[\(position)].index"
        case .channelFrequency(let position): "channels[\(position)].frequency"
        case .channelMinDataRate(let position): "channels[\(position)].min_dr"
        case .channelMaxDataRate(let position): "channels[\(position)].max_dr"
        case .rejoin: "rejoin"
        }
    }
}
