import Foundation

/// The worked examples of reference §6, verbatim (line breaks as in the reference).
enum WorkedExamples {
    /// §6.1: LoRaWAN 1.0.3 device, BI 1.0, ChirpStack-style request (lower-case hex).
    static let joinReq10 = """
        {"ProtocolVersion":"1.0","SenderID":"000031","ReceiverID":"9f4b5bb0a4148aed","TransactionID":3555441365,
         "MessageType":"JoinReq","MACVersion":"1.0.3",
         "PHYPayload":"00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08bdc","DevEUI":"0e6d1128609d82be",
         "DevAddr":"62404a3e","DLSettings":"03","RxDelay":1,"CFList":"184f84e85684b85e84886684586e8400"}
        """

    static let joinAns10 = """
        {"ProtocolVersion":"1.0","SenderID":"9F4B5BB0A4148AED","ReceiverID":"000031","TransactionID":3555441365,
         "MessageType":"JoinAns","Result":{"ResultCode":"Success"},
         "PHYPayload":"20DB1B4252BC5D64C40DC177BC347D6EA0FA93FCCBB75DCA91160FDC0ECCD24CC4","Lifetime":0,
         "NwkSKey":{"KEKLabel":"ns:000031","AESKey":"8015BA6E1C5B878306FBAF6B91C757F3A7AECF7D9D4A8744"},
         "AppSKey":{"KEKLabel":"","AESKey":"A1A23CD78FBA967C0D371EF14B0F60ED"}}
        """

    /// §6.2: LoRaWAN 1.1 device, BI 1.1, The Things Stack-style request (upper case, SenderNSID).
    static let joinReq11 = """
        {"ProtocolVersion":"1.1","TransactionID":0,"MessageType":"JoinReq","SenderID":"000031",
         "SenderNSID":"095B25BD4633EB9F","ReceiverID":"F93FA7142977F04B","MACVersion":"1.1",
         "PHYPayload":"004BF0772914A73FF99A7B7913B91277880C00DCC39B90","DevEUI":"887712B913797B9A",
         "DevAddr":"632AA91F","DLSettings":"83","RxDelay":5,"CFList":"184F84E85684B85E84886684586E8400"}
        """

    static let joinAns11 = """
        {"ProtocolVersion":"1.1","TransactionID":0,"MessageType":"JoinAns","SenderID":"F93FA7142977F04B",
         "ReceiverID":"000031","ReceiverNSID":"095B25BD4633EB9F","Result":{"ResultCode":"Success"},
         "PHYPayload":"201106B3CB2A832455BB0A97224F2B38BD75A849045572C99D09F42F73E8170F55","Lifetime":0,
         "FNwkSIntKey":{"KEKLabel":"ns:000031:ns.example.net","AESKey":"6BB185DF04893AA39543EA6F621A39A55492E72BB57B52D6"},
         "SNwkSIntKey":{"KEKLabel":"ns:000031:ns.example.net","AESKey":"4BD85EE4788D8B25696667F03C5A58C06D1FAE83A1204524"},
         "NwkSEncKey":{"KEKLabel":"ns:000031:ns.example.net","AESKey":"1A1639475A860F7E3BC4B47C4CC9D45D965F9E342C2F9D9A"},
         "AppSKey":{"KEKLabel":"as:as.example.net","AESKey":"716B4E73DB854436885397313E78F4F4327884C60D13D828"},
         "SessionKeyID":"EA658AC795B1DFFEB5E71355E27075FD"}
        """

    /// The example without the line breaks the reference adds for reading: compact JSON.
    static func compact(_ example: String) -> String { example.replacingOccurrences(of: "\n ", with: "") }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}

/// Compares JSON texts as values (member order ignored), with Foundation's parser as an independent
/// judge of what our writer produced.
enum JSONComparison {
    static func object(_ bytes: [UInt8]) -> NSDictionary? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? NSDictionary
    }

    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard let left = object(lhs), let right = object(rhs) else { return false }
        return left.isEqual(to: right as? [AnyHashable: Any] ?? [:])
    }
}

/// Builds request bodies member by member, so a test can change one member of an example.
struct JSONBody {
    /// Member names with their raw JSON value text, in order.
    var members: [(name: String, value: String)]

    init(_ members: [(name: String, value: String)]) { self.members = members }

    /// §6.1's JoinReq, member by member (a test checks it equals the example).
    static let joinReq10 = JSONBody([
        ("ProtocolVersion", #""1.0""#), ("SenderID", #""000031""#), ("ReceiverID", #""9f4b5bb0a4148aed""#),
        ("TransactionID", "3555441365"), ("MessageType", #""JoinReq""#), ("MACVersion", #""1.0.3""#),
        ("PHYPayload", #""00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08bdc""#), ("DevEUI", #""0e6d1128609d82be""#),
        ("DevAddr", #""62404a3e""#), ("DLSettings", #""03""#), ("RxDelay", "1"),
        ("CFList", #""184f84e85684b85e84886684586e8400""#),
    ])

    /// §6.2's JoinReq, member by member.
    static let joinReq11 = JSONBody([
        ("ProtocolVersion", #""1.1""#), ("TransactionID", "0"), ("MessageType", #""JoinReq""#), ("SenderID", #""000031""#),
        ("SenderNSID", #""095B25BD4633EB9F""#), ("ReceiverID", #""F93FA7142977F04B""#), ("MACVersion", #""1.1""#),
        ("PHYPayload", #""004BF0772914A73FF99A7B7913B91277880C00DCC39B90""#), ("DevEUI", #""887712B913797B9A""#),
        ("DevAddr", #""632AA91F""#), ("DLSettings", #""83""#), ("RxDelay", "5"),
        ("CFList", #""184F84E85684B85E84886684586E8400""#),
    ])

    /// An AppSKeyReq from an Application Server (reference §3.4).
    static let appSKeyReq = JSONBody([
        ("ProtocolVersion", #""1.0""#), ("SenderID", #""as.example.net""#), ("ReceiverID", #""F93FA7142977F04B""#),
        ("TransactionID", "17"), ("MessageType", #""AppSKeyReq""#), ("DevEUI", #""887712B913797B9A""#),
        ("SessionKeyID", #""EA658AC795B1DFFEB5E71355E27075FD""#),
    ])

    /// A HomeNSReq (reference §3.5).
    static let homeNSReq = JSONBody([
        ("ProtocolVersion", #""1.0""#), ("SenderID", #""000000""#), ("ReceiverID", #""F93FA7142977F04B""#),
        ("TransactionID", "9"), ("MessageType", #""HomeNSReq""#), ("DevEUI", #""887712B913797B9A""#),
    ])

    func setting(_ name: String, _ value: String) -> JSONBody {
        var copy = self
        if let index = copy.members.firstIndex(where: { $0.name == name }) {
            copy.members[index].value = value
        } else {
            copy.members.append((name, value))
        }
        return copy
    }

    func removing(_ name: String) -> JSONBody {
        var copy = self
        copy.members.removeAll { $0.name == name }
        return copy
    }

    var text: String { "{" + members.map { "\"\($0.name)\":\($0.value)" }.joined(separator: ",") + "}" }
    var bytes: [UInt8] { Array(text.utf8) }
}
