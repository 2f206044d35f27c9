import Foundation

/// The latest signed CRL of one issuing CA.
public struct CRLRecord: Sendable, Equatable {
    public var issuerID: String
    /// The RFC 5280 cRLNumber: strictly increasing per issuer.
    public var number: Int64
    public var thisUpdate: Date
    public var nextUpdate: Date
    public var der: [UInt8]

    public init(issuerID: String, number: Int64, thisUpdate: Date, nextUpdate: Date, der: [UInt8]) {
        self.issuerID = issuerID
        self.number = number
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
        self.der = der
    }
}
