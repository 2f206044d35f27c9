import Foundation

/// A downlink waiting in the Network Server's queue, as its application sees it.
public struct QueuedDownlink: Sendable, Equatable {
    public var id: UUID
    public var fPort: UInt8
    public var fCnt: UInt32
    /// The plaintext; `nil` when it was encrypted in a session whose AppSKey is no longer here.
    public var payload: [UInt8]?
    public var confirmed: Bool

    public init(id: UUID, fPort: UInt8, fCnt: UInt32, payload: [UInt8]?, confirmed: Bool) {
        self.id = id
        self.fPort = fPort
        self.fCnt = fCnt
        self.payload = payload
        self.confirmed = confirmed
    }
}
