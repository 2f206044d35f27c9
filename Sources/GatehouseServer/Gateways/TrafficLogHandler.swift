import BackendInterfaces
import Logging
import Metrics

/// Where gateway traffic goes until the Network Server takes it: each uplink and transmission report
/// is counted and logged (at debug), so an operator can see stations working end to end.
struct TrafficLogHandler: GatewayTrafficHandler {
    let logger: Logger
    private let uplinks = Counter(label: "gatehouse_gateway_uplinks_total")
    private let transmitted = Counter(label: "gatehouse_gateway_downlinks_transmitted_total")

    init(logger: Logger) { self.logger = logger }

    func uplinkReceived(_ uplink: GatewayUplink) async {
        uplinks.increment()
        logger.debug("uplink received", metadata: ["gateway": "\(uplink.gatewayEUI)", "bytes": "\(uplink.phyPayload.count)"])
    }

    func downlinkTransmitted(_ event: GatewayDownlinkTransmitted) async {
        transmitted.increment()
    }
}
