import ApplicationServer
import Foundation
import Hummingbird
import LoRaWAN

/// `POST /devices/abp`: an ABP device with its session keys. Strict like the Application API's bodies
/// (``ApplicationRequestBody``): a misspelt `insecure_abp` or key member is refused by name, and no
/// failure ever quotes a value, which may be a key.
struct CreateABPDeviceRequest: ApplicationRequest {
    var devEUI: String
    var devAddr: String
    var macVersion: String
    var region: String
    var deviceClass: String?
    /// LoRaWAN 1.0.x.
    var nwkSKey: String?
    /// LoRaWAN 1.1.
    var fNwkSIntKey: String?
    var sNwkSIntKey: String?
    var nwkSEncKey: String?
    var appSKey: String
    var applicationID: String?
    /// Must be `true`: the operator's explicit consent to an insecure activation.
    var insecureABP: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case devEUI = "dev_eui", devAddr = "dev_addr", macVersion = "mac_version", region, deviceClass = "device_class"
        case nwkSKey = "nwk_s_key", fNwkSIntKey = "f_nwk_s_int_key", sNwkSIntKey = "s_nwk_s_int_key", nwkSEncKey = "nwk_s_enc_key"
        case appSKey = "app_s_key", applicationID = "application_id", insecureABP = "insecure_abp"
    }

    /// The refusal when `insecure_abp` is missing or false.
    static var notAcknowledged: APIError {
        .field("insecure_abp", "\(ABPProvisioningError.insecureNotAcknowledged) with \"insecure_abp\": true")
    }

    func newDevice() throws -> GatehouseServices.NewABPDevice {
        let version = try JoinFields.macVersion(macVersion, "mac_version")
        let devAddr: DevAddr
        do { devAddr = try DevAddr(parsing: self.devAddr) } catch { throw APIError.field("dev_addr", "expected a DevAddr (8 hex digits)") }
        guard let region = Region(region) else {
            throw APIError.field("region", "use one of \(Region.allCases.map(\.rawValue).joined(separator: ", "))")
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
        return GatehouseServices.NewABPDevice(
            devEUI: try JoinFields.eui(devEUI, "dev_eui"), devAddr: devAddr, macVersion: version, region: region, deviceClass: chosenClass,
            networkKeys: try networkKeys(for: version), appSKey: try JoinFields.key(appSKey, "app_s_key"), application: application)
    }

    /// 1.0.x: `nwk_s_key` alone; 1.1: the three network keys, and no `nwk_s_key`.
    private func networkKeys(for version: MACVersion) throws -> NetworkSessionKeys {
        guard version.hasSeparateNetworkRootKey else {
            if fNwkSIntKey != nil || sNwkSIntKey != nil || nwkSEncKey != nil {
                let field = fNwkSIntKey != nil ? "f_nwk_s_int_key" : sNwkSIntKey != nil ? "s_nwk_s_int_key" : "nwk_s_enc_key"
                throw APIError.field(field, "a LoRaWAN \(version) device has one network session key, nwk_s_key")
            }
            guard let nwkSKey else { throw APIError.field("nwk_s_key", "is missing (LoRaWAN \(version))") }
            return .legacy(nwkSKey: try JoinFields.key(nwkSKey, "nwk_s_key"))
        }
        if nwkSKey != nil {
            throw APIError.field("nwk_s_key", "a LoRaWAN \(version) device has f_nwk_s_int_key, s_nwk_s_int_key and nwk_s_enc_key instead")
        }
        guard let fNwkSIntKey else { throw APIError.field("f_nwk_s_int_key", "is missing (LoRaWAN \(version))") }
        guard let sNwkSIntKey else { throw APIError.field("s_nwk_s_int_key", "is missing (LoRaWAN \(version))") }
        guard let nwkSEncKey else { throw APIError.field("nwk_s_enc_key", "is missing (LoRaWAN \(version))") }
        // FOpts are ciphered with the LoRaWAN 1.1 errata's counter rule, as for joined 1.1 sessions.
        return .current(
            fNwkSIntKey: try JoinFields.key(fNwkSIntKey, "f_nwk_s_int_key"), sNwkSIntKey: try JoinFields.key(sNwkSIntKey, "s_nwk_s_int_key"),
            nwkSEncKey: try JoinFields.key(nwkSEncKey, "nwk_s_enc_key"), fOptsVariant: .errata)
    }
}

/// A created ABP device: identifiers, `activation` and `insecure`, and the warning. Never a key.
struct ABPDeviceResponse: ResponseEncodable {
    var devEUI: String
    var devAddr: String
    var macVersion: String
    var region: String
    var deviceClass: String
    var applicationID: String?
    var activation = "ABP"
    var insecure: Bool
    /// Why ABP is insecure, and whether the DevAddr lies outside this network's NetID block.
    var warning: String

    enum CodingKeys: String, CodingKey {
        case devEUI = "dev_eui", devAddr = "dev_addr", macVersion = "mac_version", region, deviceClass = "device_class"
        case applicationID = "application_id", activation, insecure, warning
    }

    init(_ summary: GatehouseServices.ABPDeviceSummary) {
        devEUI = summary.devEUI.description
        devAddr = summary.devAddr.description
        macVersion = summary.macVersion.rawValue
        region = summary.region.rawValue
        deviceClass = summary.deviceClass == .classC ? "C" : "A"
        applicationID = summary.application?.rawValue
        insecure = summary.isInsecure
        warning = summary.warnings.joined(separator: " ")
    }
}
