import ArgumentParser
import LoRaWAN

/// Parses an option value into a typed LoRaWAN value, turning a malformed one into a usage error that
/// names the option (and never repeats a key's text).
func parseOption<Value>(_ text: String?, _ option: String, _ parse: (String) throws(FrameError) -> Value) throws -> Value? {
    guard let text else { return nil }
    do throws(FrameError) {
        return try parse(text)
    } catch {
        throw CommandLineFailure.usage("--\(option): \(error)")
    }
}

func parseKey<Role>(_ text: String?, _ option: String) throws -> AES128Key<Role>? {
    try parseOption(text, option) { (t) throws(FrameError) in try AES128Key<Role>(parsing: t) }
}

func parseEUI(_ text: String?, _ option: String) throws -> EUI64? {
    try parseOption(text, option) { (t) throws(FrameError) in try EUI64(parsing: t) }
}

/// The root and session key options `frame decode` and `keys derive` share.
struct KeyOptions: ParsableArguments {
    @Option(name: .customLong("app-key"), help: "AppKey (32 hex digits).") var appKey: String?
    @Option(name: .customLong("nwk-key"), help: "NwkKey (LoRaWAN 1.1).") var nwkKey: String?
    @Option(name: .customLong("nwk-s-key"), help: "NwkSKey (LoRaWAN 1.0).") var nwkSKey: String?
    @Option(name: .customLong("app-s-key"), help: "AppSKey.") var appSKey: String?
    @Option(name: .customLong("f-nwk-s-int-key"), help: "FNwkSIntKey (LoRaWAN 1.1).") var fNwkSIntKey: String?
    @Option(name: .customLong("s-nwk-s-int-key"), help: "SNwkSIntKey (LoRaWAN 1.1).") var sNwkSIntKey: String?
    @Option(name: .customLong("nwk-s-enc-key"), help: "NwkSEncKey (LoRaWAN 1.1).") var nwkSEncKey: String?
}

extension FrameInspectionInput.Version: ExpressibleByArgument {}
extension FOptsEncryptionVariant: ExpressibleByArgument {}

/// An EUI-64 argument, or a usage error naming it.
func requireEUI(_ text: String, _ option: String, acceptMAC: Bool = false) throws -> EUI64 {
    do throws(FrameError) {
        return acceptMAC ? try EUI64(parsingEUIOrMAC: text) : try EUI64(parsing: text)
    } catch {
        throw CommandLineFailure.usage("\(option): \(error)")
    }
}
