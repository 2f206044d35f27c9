import Foundation
import LoRaWAN

/// A gateway the operator registered: the identity its certificate must carry.
public struct GatewayRecord: Sendable, Equatable {
    public var eui: EUI64
    public var name: String
    /// A named group of gateways (an operator's region, customer or site).
    public var network: String
    public var location: GatewayLocation?
    public var frequencyPlan: Region
    public var createdAt: Date

    public init(eui: EUI64, name: String, network: String, location: GatewayLocation?, frequencyPlan: Region, createdAt: Date) {
        self.eui = eui
        self.name = name
        self.network = network
        self.location = location
        self.frequencyPlan = frequencyPlan
        self.createdAt = createdAt
    }
}

/// Where a gateway stands (WGS 84).
public struct GatewayLocation: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double
    /// Metres above sea level.
    public var altitude: Double?

    /// - Returns: `nil` outside the valid coordinate ranges.
    public init?(latitude: Double, longitude: Double, altitude: Double? = nil) {
        guard (-90...90).contains(latitude), (-180...180).contains(longitude), altitude.map({ $0.isFinite }) ?? true else { return nil }
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
    }
}
