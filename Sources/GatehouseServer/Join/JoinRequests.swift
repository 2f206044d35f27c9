import ApplicationServer
import BackendInterfaces
import JoinServer
import LoRaWAN

/// Request bodies of the Join Server's device API. Members are snake case, as in the manufacturer
/// batch and transfer documents the same operators handle. Every field is checked where it becomes a
/// domain value, so a bad one is a 400 that names it.
struct CreateJoinDeviceRequest: Decodable {
    var devEUI: String
    var joinEUI: String
    var macVersion: String
    var appKey: String?
    var nwkKey: String?
    var owner: String?
    var homeNetID: String?
    var asID: String?
    /// The Network and Application Servers' side: region, class and application.
    var region: String?
    var deviceClass: String?
    var applicationID: String?

    enum CodingKeys: String, CodingKey {
        case devEUI = "dev_eui", joinEUI = "join_eui", macVersion = "mac_version", appKey = "app_key", nwkKey = "nwk_key"
        case owner, homeNetID = "home_net_id", asID = "as_id", region, deviceClass = "device_class", applicationID = "application_id"
    }

    func profile() throws -> GatehouseServices.DeviceProfile {
        let region = try region.map { text in
            guard let region = Region(text) else { throw APIError.field("region", "use one of \(Region.allCases.map(\.rawValue).joined(separator: ", "))") }
            return region
        }
        let chosenClass: DeviceModeClass
        switch deviceClass?.uppercased() {
        case nil, "A": chosenClass = .classA
        case "C": chosenClass = .classC
        default: throw APIError.field("device_class", "A or C")
        }
        let application = try applicationID.map { text in
            guard let id = ApplicationID(text) else { throw APIError.field("application_id", "not an application id") }
            return id
        }
        return GatehouseServices.DeviceProfile(region: region, deviceClass: chosenClass, application: application)
    }

    func newDevice() throws -> NewJoinDevice {
        let version = try JoinFields.macVersion(macVersion, "mac_version")
        return NewJoinDevice(
            devEUI: try JoinFields.eui(devEUI, "dev_eui"), joinEUI: try JoinFields.eui(joinEUI, "join_eui"), macVersion: version,
            rootKeys: try Self.rootKeys(appKey: appKey, nwkKey: nwkKey, for: version),
            owner: try owner.map { try JoinFields.text($0, "owner") },
            homeNetID: try homeNetID.map { try JoinFields.netID($0, "home_net_id") },
            applicationServerID: try asID.map { try JoinFields.applicationServerID($0, "as_id") })
    }

    /// A 1.0.x device has an AppKey only; a 1.1 device both keys or neither (a master key, or keys set later).
    static func rootKeys(appKey: String?, nwkKey: String?, for version: MACVersion) throws -> RootKeys? {
        let bothOrNeither = "a LoRaWAN 1.1 device needs both app_key and nwk_key, or neither"
        switch (appKey, nwkKey) {
        case (nil, nil):
            return nil
        case (.some, .some) where !version.hasSeparateNetworkRootKey, (nil, .some) where !version.hasSeparateNetworkRootKey:
            throw APIError.field("nwk_key", "a LoRaWAN \(version) device has one root key, app_key")
        case (let app?, let nwk?):
            return .separate(nwkKey: try JoinFields.key(nwk, "nwk_key"), appKey: try JoinFields.key(app, "app_key"))
        case (nil, .some):
            throw APIError.field("app_key", bothOrNeither)
        case (let app?, nil):
            guard !version.hasSeparateNetworkRootKey else { throw APIError.field("nwk_key", bothOrNeither) }
            return .legacy(appKey: try JoinFields.key(app, "app_key"))
        }
    }
}

/// `PUT /devices/{devEUI}/root-keys`: the registry checks the keys fit the device's version.
struct SetRootKeysRequest: Decodable {
    var appKey: String
    var nwkKey: String?

    enum CodingKeys: String, CodingKey {
        case appKey = "app_key", nwkKey = "nwk_key"
    }

    func rootKeys() throws -> RootKeys {
        let app: AppKey = try JoinFields.key(appKey, "app_key")
        guard let nwkKey else { return .legacy(appKey: app) }
        return .separate(nwkKey: try JoinFields.key(nwkKey, "nwk_key"), appKey: app)
    }
}

/// `PATCH /devices/{devEUI}`: a member left out keeps its value, `null` clears it.
struct UpdateJoinDeviceRequest: Decodable {
    var homeNetID: PatchValue
    var asID: PatchValue

    enum CodingKeys: String, CodingKey {
        case homeNetID = "home_net_id", asID = "as_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        homeNetID = try PatchValue(container, .homeNetID)
        asID = try PatchValue(container, .asID)
    }

    func homeNetID(current: NetID?) throws -> NetID? {
        try homeNetID.resolve(current) { try JoinFields.netID($0, "home_net_id") }
    }

    func applicationServerID(current: ApplicationServerID?) throws -> ApplicationServerID? {
        try asID.resolve(current) { try JoinFields.applicationServerID($0, "as_id") }
    }
}

/// One member of a PATCH body, telling "left out" from `null`.
enum PatchValue {
    case unchanged
    case cleared
    case set(String)

    init<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws {
        guard container.contains(key) else {
            self = .unchanged
            return
        }
        self = try container.decodeNil(forKey: key) ? .cleared : .set(try container.decode(String.self, forKey: key))
    }

    func resolve<Value>(_ current: Value?, _ parse: (String) throws -> Value) throws -> Value? {
        switch self {
        case .unchanged: current
        case .cleared: nil
        case .set(let text): try parse(text)
        }
    }
}

struct ResetDevNoncesRequest: Decodable {
    /// Why the history is forgotten: kept in the audit log, since a reset re-opens replay of old nonces.
    var reason: String
}
