import Foundation
import LoRaWAN

/// The device list of `gatehouse simulate --devices`:
///
/// ```json
/// {"devices":[{"devEUI":"0004A30B001C0530","joinEUI":"70B3D57ED0000001","macVersion":"1.1",
///              "appKey":"…32 hex digits…","nwkKey":"…32 hex digits…"}]}
/// ```
///
/// `macVersion` is 1.0.2, 1.0.3, 1.0.4 or 1.1 (every spelling `MACVersion(spelling:)` reads); `nwkKey`
/// is for 1.1 only. Optional per device: `nextDevNonce` (where a 1.0.4/1.1 DevNonce counter continues,
/// since a server refuses a DevNonce it has seen) and `fOptsVariant` (`1.1` or `1.1.1`).
///
/// The file holds root keys: it is a secret, like the Join Server's key store. Keep it readable only
/// by its owner and out of version control. Errors name the device and the field, never a key.
public struct SimulationDeviceFile: Sendable {
    public struct Entry: Codable, Sendable {
        public var devEUI: String
        public var joinEUI: String
        public var macVersion: String
        public var appKey: String
        public var nwkKey: String?
        public var nextDevNonce: UInt16?
        public var fOptsVariant: String?
    }

    public var entries: [Entry]

    /// Reads the file at `path`.
    public init(contentsOf path: String) throws(SimulationDeviceFileError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        try self.init(data: data)
    }

    public init(data: Data) throws(SimulationDeviceFileError) {
        struct File: Decodable { var devices: [Entry] }
        do {
            entries = try JSONDecoder().decode(File.self, from: data).devices
        } catch let error as DecodingError {
            // The path names the field; the value (possibly a key) is never repeated.
            throw .malformed(StationRouterConfig.reason(error))
        } catch {
            throw .malformed("not JSON")
        }
        guard !entries.isEmpty else { throw .malformed("the devices list is empty") }
    }

    /// The devices, on `region`'s channel plan.
    /// - Parameter nextDevNonce: overrides every entry's `nextDevNonce`.
    public func devices(region: Region, nextDevNonce: UInt16? = nil) throws(SimulationDeviceFileError) -> [VirtualDevice] {
        var devices: [VirtualDevice] = []
        var seen: Set<EUI64> = []
        for (index, entry) in entries.enumerated() {
            let position = index + 1
            func field<T>(_ name: String, _ parse: () throws(FrameError) -> T) throws(SimulationDeviceFileError) -> T {
                do {
                    return try parse()
                } catch {
                    throw .invalidEntry(index: position, field: name, reason: error.description)
                }
            }
            let devEUI = try field("devEUI") { () throws(FrameError) in try EUI64(parsing: entry.devEUI) }
            let joinEUI = try field("joinEUI") { () throws(FrameError) in try EUI64(parsing: entry.joinEUI) }
            guard let version = MACVersion(spelling: entry.macVersion) else {
                throw .invalidEntry(index: position, field: "macVersion", reason: "'\(entry.macVersion.prefix(16))' is not 1.0.x or 1.1")
            }
            let appKey = try field("appKey") { () throws(FrameError) in try AppKey(parsing: entry.appKey) }
            let nwkKey = try entry.nwkKey.map { text throws(SimulationDeviceFileError) in
                try field("nwkKey") { () throws(FrameError) in try NwkKey(parsing: text) }
            }
            var variant = FOptsEncryptionVariant.errata
            if let text = entry.fOptsVariant {
                guard let parsed = FOptsEncryptionVariant(rawValue: text) else {
                    throw .invalidEntry(index: position, field: "fOptsVariant", reason: "'\(text.prefix(16))' is not 1.1 or 1.1.1")
                }
                variant = parsed
            }
            guard seen.insert(devEUI).inserted else {
                throw .invalidEntry(index: position, field: "devEUI", reason: "\(devEUI) appears twice")
            }
            do {
                devices.append(try VirtualDevice(
                    devEUI: devEUI, joinEUI: joinEUI, macVersion: version, appKey: appKey, nwkKey: nwkKey, region: region,
                    nextDevNonce: nextDevNonce ?? entry.nextDevNonce ?? 0, fOptsVariant: variant))
            } catch {
                throw .invalidEntry(index: position, field: "nwkKey", reason: error.description)
            }
        }
        return devices
    }
}

/// Why a device file cannot be used.
public enum SimulationDeviceFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case malformed(String)
    /// `index` counts from 1.
    case invalidEntry(index: Int, field: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the device file \(path)"
        case .malformed(let reason): "the device file is not {\"devices\":[...]}: \(reason)"
        case .invalidEntry(let index, let field, let reason): "device \(index) of the device file: \(field): \(reason)"
        }
    }
}
