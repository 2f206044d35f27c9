import Foundation
import GatewayPKI
import LoRaWAN

/// Decides what a CUPS answer carries (basics-station-protocol §2.2): the CUPS and LNS URIs when they
/// differ from what the station has, and LNS or CUPS credentials when the station needs them (see
/// ``StationCredentialPlanner``). Never firmware: Gatehouse does not send updates.
public struct CUPSUpdatePlanner: CUPSUpdateService {
    public let publicHost: String
    public let publicPort: Int?
    let credentials: (any StationCredentialPlanner)?

    /// - Parameters:
    ///   - publicHost: the host stations reach this listener by (CUPS and LNS share it).
    ///   - publicPort: the port stations reach it by; `nil`: the port the station connected to.
    ///   - credentials: issues credentials for stations that need them; `nil` hands out URIs only.
    public init(publicHost: String, publicPort: Int?, credentials: (any StationCredentialPlanner)?) {
        self.publicHost = publicHost
        self.publicPort = publicPort
        self.credentials = credentials
    }

    public func answer(_ request: CUPSUpdateRequest, from gateway: GatewayIdentity, listenerPort: Int) async throws -> CUPSAnswer {
        let port = publicPort ?? listenerPort
        let cupsURI = try BasicsStationURI("https://\(publicHost):\(port)", for: .cups)
        let tcURI = try BasicsStationURI("wss://\(publicHost):\(port)", for: .tc)
        // Only what differs: a station given its current CUPS URI again would reconnect in a loop.
        let newCUPSURI = request.cupsURI == cupsURI.text ? nil : cupsURI
        let newTCURI = request.tcURI == tcURI.text ? nil : tcURI
        let delivery = try await credentials?.credentials(for: request, from: gateway)
        let response = try CUPSUpdateResponse(
            cupsURI: newCUPSURI, tcURI: newTCURI, cupsCredentials: delivery?.cups, tcCredentials: delivery?.tc)
        return CUPSAnswer(response: response, afterResponse: delivery?.afterResponse)
    }
}

/// The credentials one CUPS answer installs: for the CUPS connection, the LNS connection, or both.
public struct StationCredentialDelivery: Sendable {
    public var cups: StationCredentialBlob?
    public var tc: StationCredentialBlob?
    /// Work to do once the answer is sent (see ``CUPSAnswer/afterResponse``).
    public var afterResponse: (@Sendable () async throws -> Void)?

    public init(cups: StationCredentialBlob?, tc: StationCredentialBlob?, afterResponse: (@Sendable () async throws -> Void)? = nil) {
        self.cups = cups
        self.tc = tc
        self.afterResponse = afterResponse
    }
}

/// Decides whether a station needs new credentials and makes them.
public protocol StationCredentialPlanner: Sendable {
    func credentials(for request: CUPSUpdateRequest, from gateway: GatewayIdentity) async throws -> StationCredentialDelivery?
}
