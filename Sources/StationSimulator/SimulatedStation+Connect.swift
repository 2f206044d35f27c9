import Foundation
import LoRaWAN

extension SimulatedStation {
    /// Connects as a station does (basics-station-protocol §3.2): `/router-info` with the gateway's ID6,
    /// then the traffic websocket at the `uri` the LNS answers, both over the factory's mutual TLS; then
    /// `start()`s the station on it.
    public static func connect(
        to lns: LNSAddress, gatewayEUI: EUI64, connections: StationConnectionFactory,
        options: SimulatedStationOptions = SimulatedStationOptions()
    ) async throws(SimulatedStationError) -> SimulatedStation {
        let traffic = try await discoverTrafficURI(lns: lns, gatewayEUI: gatewayEUI, connections: connections)
        return try await connect(traffic: traffic, gatewayEUI: gatewayEUI, connections: connections, options: options)
    }

    /// Opens the traffic websocket at `traffic` (a router-info answer's `uri`) and `start()`s the station.
    public static func connect(
        traffic: LNSAddress, gatewayEUI: EUI64, connections: StationConnectionFactory,
        options: SimulatedStationOptions = SimulatedStationOptions()
    ) async throws(SimulatedStationError) -> SimulatedStation {
        let socket: StationWebSocket
        do {
            socket = try await connections.connectWebSocket(host: traffic.host, port: traffic.port, path: traffic.path)
        } catch {
            throw .connection(error)
        }
        let station = SimulatedStation(eui: gatewayEUI, transport: socket, options: options)
        do {
            try await station.start()
        } catch {
            await station.close()
            throw error
        }
        return station
    }

    /// Asks `/router-info` where the traffic connection goes: `{"router":"<ID6>"}` out, `{"uri":...}` or
    /// `{"error":...}` back.
    public static func discoverTrafficURI(
        lns: LNSAddress, gatewayEUI: EUI64, connections: StationConnectionFactory
    ) async throws(SimulatedStationError) -> LNSAddress {
        let socket: StationWebSocket
        do {
            socket = try await connections.connectWebSocket(host: lns.host, port: lns.port, path: "/router-info")
        } catch {
            throw .connection(error)
        }
        let answer: StationWebSocket.Message?
        do {
            try await socket.send(text: StationMessageEncoding.routerInfoRequest(gatewayEUI))
            answer = try await socket.receive()
        } catch {
            await socket.close()
            throw .connection(error)
        }
        await socket.close()
        guard case .text(let text)? = answer else {
            throw .discoveryRefused("the LNS closed /router-info without an answer")
        }
        return try trafficURI(fromRouterInfoAnswer: text)
    }

    /// The traffic URI of a router-info answer; an `error` member, or no usable `uri`, is a refusal.
    static func trafficURI(fromRouterInfoAnswer text: String) throws(SimulatedStationError) -> LNSAddress {
        struct Answer: Decodable {
            var uri: String?
            var error: String?
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(text.utf8)) else {
            throw .discoveryRefused("the router-info answer is not a JSON object")
        }
        if let error = answer.error { throw .discoveryRefused("the LNS answered: \(error.prefix(200))") }
        guard let uri = answer.uri else { throw .discoveryRefused("the router-info answer has no uri") }
        let address = try LNSAddress(parsing: uri)
        guard address.path.count > 1 else { throw .discoveryRefused("the traffic uri '\(uri.prefix(128))' has no path") }
        return address
    }
}
