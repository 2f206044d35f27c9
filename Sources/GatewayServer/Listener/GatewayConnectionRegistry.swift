import Foundation
import GatewayPKI
import LoRaWAN
import NIOCore
import Synchronization

/// Every live station connection, by id and by gateway: the revocation cut-off (a revoked certificate's
/// connections are closed as soon as the revocation is recorded, DESIGN.md invariant 5), the "one
/// traffic connection per gateway" rule, the route for downlinks, and the API's status view.
public final class GatewayConnectionRegistry: Sendable {
    private struct Table {
        var nextID: UInt64 = 1
        var connections: [UInt64: GatewayConnection] = [:]
        var trafficByGateway: [EUI64: GatewayConnection] = [:]
        var closed = 0
    }

    private let table = Mutex(Table())

    public init() {}

    /// Closes the connections of certificates as they are revoked.
    public func follow(_ revocation: RevocationState) {
        revocation.addObserver { [weak self] serials in self?.closeConnections(certificateSerials: serials) }
    }

    /// Records an authenticated connection. A traffic connection replaces (closes) the gateway's previous
    /// one: a station reconnecting after a network change must not be locked out by its stale socket.
    func register(channel: any Channel, identity: GatewayIdentity, kind: GatewayConnection.Kind, remoteAddress: String, at time: Date) -> GatewayConnection {
        let (connection, replaced) = table.withLock { table -> (GatewayConnection, GatewayConnection?) in
            let connection = GatewayConnection(
                id: table.nextID, identity: identity, kind: kind, remoteAddress: remoteAddress, connectedAt: time, channel: channel)
            table.nextID += 1
            table.connections[connection.id] = connection
            var replaced: GatewayConnection?
            if kind == .traffic {
                replaced = table.trafficByGateway.updateValue(connection, forKey: identity.eui)
            }
            return (connection, replaced)
        }
        replaced?.close()
        return connection
    }

    func unregister(_ connection: GatewayConnection) {
        table.withLock { table in
            table.closed += 1
            table.connections[connection.id] = nil
            if table.trafficByGateway[connection.identity.eui]?.id == connection.id {
                table.trafficByGateway[connection.identity.eui] = nil
            }
        }
    }

    /// Closes every connection authenticated with one of these certificates; returns how many.
    @discardableResult
    public func closeConnections(certificateSerials serials: [String]) -> Int {
        let wanted = Set(serials.map { $0.lowercased() })
        let closing = table.withLock { $0.connections.values.filter { wanted.contains($0.identity.serial) } }
        for connection in closing { connection.close() }
        return closing.count
    }

    /// Closes every connection of a gateway (it was deleted); returns how many.
    @discardableResult
    public func closeConnections(gateway: EUI64) -> Int {
        let closing = table.withLock { $0.connections.values.filter { $0.identity.eui == gateway } }
        for connection in closing { connection.close() }
        return closing.count
    }

    /// The gateway's live traffic connection, where its downlinks go.
    public func trafficConnection(of gateway: EUI64) -> GatewayConnection? {
        table.withLock { $0.trafficByGateway[gateway] }
    }

    /// Every live connection's status, by gateway then age.
    public func statuses() -> [GatewayConnectionStatus] {
        table.withLock { Array($0.connections.values) }.map(\.status).sorted {
            ($0.gatewayEUI.rawValue, $0.connectedAt) < ($1.gatewayEUI.rawValue, $1.connectedAt)
        }
    }

    public var count: Int { table.withLock { $0.connections.count } }

    /// Connections closed since start: how much connection memory has been freed, for whoever
    /// returns freed memory to the system.
    public var closedCount: Int { table.withLock { $0.closed } }

    /// Closes everything (shutdown).
    public func closeAll() {
        for connection in table.withLock({ Array($0.connections.values) }) { connection.close() }
    }
}
