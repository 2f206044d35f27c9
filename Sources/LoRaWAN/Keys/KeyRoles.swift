// The keys of LoRaWAN 1.0.x, 1.1 and TS005, one type each.

/// Root key of a 1.0.x device; in 1.1 the root of the application keys.
public enum AppKeyRole: KeyRole { public static let name = "AppKey" }
/// Root key of the network keys of a 1.1 device.
public enum NwkKeyRole: KeyRole { public static let name = "NwkKey" }
/// 1.0.x network session key (MIC, FPort 0 payloads).
public enum NwkSKeyRole: FRMPayloadKeyRole { public static let name = "NwkSKey" }
/// Application session key: only the Application Server holds it.
public enum AppSKeyRole: FRMPayloadKeyRole { public static let name = "AppSKey" }
/// 1.1 forwarding network session integrity key (half of the uplink MIC).
public enum FNwkSIntKeyRole: KeyRole { public static let name = "FNwkSIntKey" }
/// 1.1 serving network session integrity key (the other half, and downlink MICs).
public enum SNwkSIntKeyRole: KeyRole { public static let name = "SNwkSIntKey" }
/// 1.1 network session encryption key (FOpts, FPort 0 payloads).
public enum NwkSEncKeyRole: FRMPayloadKeyRole { public static let name = "NwkSEncKey" }
/// 1.1 Join Server integrity key (join-accept MIC after a rejoin or with OptNeg).
public enum JSIntKeyRole: KeyRole { public static let name = "JSIntKey" }
/// 1.1 Join Server encryption key (join-accept after a rejoin).
public enum JSEncKeyRole: KeyRole { public static let name = "JSEncKey" }
/// TS005 root of the multicast keys of a 1.0.x device's GenAppKey.
public enum GenAppKeyRole: KeyRole { public static let name = "GenAppKey" }
/// TS005 McRootKey.
public enum McRootKeyRole: KeyRole { public static let name = "McRootKey" }
/// TS005 McKEKey, which encrypts McKeys sent to the device.
public enum McKEKeyRole: KeyRole { public static let name = "McKEKey" }
/// TS005 McKey, the root of one multicast group's session keys.
public enum McKeyRole: KeyRole { public static let name = "McKey" }
/// TS005 multicast application session key.
public enum McAppSKeyRole: FRMPayloadKeyRole { public static let name = "McAppSKey" }
/// TS005 multicast network session key.
public enum McNwkSKeyRole: KeyRole { public static let name = "McNwkSKey" }

public typealias AppKey = AES128Key<AppKeyRole>
public typealias NwkKey = AES128Key<NwkKeyRole>
public typealias NwkSKey = AES128Key<NwkSKeyRole>
public typealias AppSKey = AES128Key<AppSKeyRole>
public typealias FNwkSIntKey = AES128Key<FNwkSIntKeyRole>
public typealias SNwkSIntKey = AES128Key<SNwkSIntKeyRole>
public typealias NwkSEncKey = AES128Key<NwkSEncKeyRole>
public typealias JSIntKey = AES128Key<JSIntKeyRole>
public typealias JSEncKey = AES128Key<JSEncKeyRole>
public typealias GenAppKey = AES128Key<GenAppKeyRole>
public typealias McRootKey = AES128Key<McRootKeyRole>
public typealias McKEKey = AES128Key<McKEKeyRole>
public typealias McKey = AES128Key<McKeyRole>
public typealias McAppSKey = AES128Key<McAppSKeyRole>
public typealias McNwkSKey = AES128Key<McNwkSKeyRole>
