import BackendInterfaces
import LoRaWAN

/// How the Network Server runs: who it is on the Backend Interfaces, and its timing and safety limits.
public struct NetworkServerConfiguration: Sendable {
    /// The deduplication window used when none is given.
    public static let defaultDeduplicationWindow: Duration = .milliseconds(200)
    /// The number of uplink workers used when none is given.
    public static let defaultUplinkWorkers = 64
    /// The uplink backlog limit used when none is given.
    public static let defaultMaximumUplinkBacklog = 10_000

    /// The network's NetID: its DevAddr block and its SenderID towards Join Servers.
    public var netID: NetID
    /// How long copies of one frame from several gateways are collected (LoRaWAN networks use 200 ms).
    public var deduplicationWindow: Duration
    /// The Backend Interfaces version spoken to the Join Server.
    public var backendProtocolVersion: BackendProtocolVersion
    /// Frames that jump further ahead than this are dropped rather than accepted (LoRaWAN 1.0.x
    /// MAX_FCNT_GAP); `nil`: any forward jump that verifies is accepted, as 1.1 allows.
    public var maximumFCntGap: UInt32?
    /// How many times a frame is re-examined when another frame of the same device changed the session
    /// between reading and storing it.
    public var sessionConflictRetries: Int
    /// Frames whose windows are open at once; beyond, the oldest closes early (memory stays bounded).
    public var maximumOpenDeduplicationWindows: Int
    /// Frames processed at the same time, each by one of this many worker tasks. Frames of one device
    /// are never processed together, whatever the number.
    public var uplinkWorkers: Int
    /// Frames taken in and not yet being processed: collecting gateways' copies, or waiting for a
    /// worker or for the earlier frames of their device. At the limit the gateways' traffic sockets are
    /// not read until there is room, so overload pushes back to the stations over TCP instead of
    /// growing memory.
    public var maximumUplinkBacklog: Int

    public init(
        netID: NetID, deduplicationWindow: Duration = Self.defaultDeduplicationWindow, backendProtocolVersion: BackendProtocolVersion = .v1_0,
        maximumFCntGap: UInt32? = nil, sessionConflictRetries: Int = 3, maximumOpenDeduplicationWindows: Int = 100_000,
        uplinkWorkers: Int = Self.defaultUplinkWorkers, maximumUplinkBacklog: Int = Self.defaultMaximumUplinkBacklog
    ) {
        self.netID = netID
        self.deduplicationWindow = deduplicationWindow
        self.backendProtocolVersion = backendProtocolVersion
        self.maximumFCntGap = maximumFCntGap
        self.sessionConflictRetries = max(1, sessionConflictRetries)
        self.maximumOpenDeduplicationWindows = maximumOpenDeduplicationWindows
        self.uplinkWorkers = max(1, uplinkWorkers)
        self.maximumUplinkBacklog = max(1, maximumUplinkBacklog)
    }

    /// The SenderID of the Network Server's requests: the NetID in six hex digits.
    public var senderID: String { netID.description }
}
