/// What a simulated station and its devices have seen, for tests, the CLI and benchmarks.
public struct SimulatedStationCounters: Sendable, Equatable, CustomStringConvertible {
    public var joinRequestsSent = 0
    /// Join-accepts a device accepted.
    public var joinsAccepted = 0
    /// Join-accepts a device refused: MIC, JoinNonce, CFList, or no join pending.
    public var joinAcceptsRefused = 0
    public var joinTimeouts = 0
    public var uplinksSent = 0
    public var confirmedUplinksSent = 0
    /// `dnmsg` messages received (each answered with `dntxed` when it names a device).
    public var downlinkMessagesReceived = 0
    /// Data downlinks a device accepted: MIC verified, counter fresh, payload decrypted.
    public var downlinksAccepted = 0
    /// Accepted downlinks with the ACK bit set.
    public var acknowledgementsReceived = 0
    /// Join-accepts and data downlinks whose MIC did not verify.
    public var micFailures = 0
    /// Data downlinks refused for another reason (counter replayed, malformed, not joined).
    public var downlinksRefused = 0
    /// Class A downlinks that do not fall in the device's receive windows (wrong `xtime` or `RxDelay`):
    /// the device would not hear them.
    public var downlinksOutsideReceiveWindows = 0
    /// Class A downlinks that arrived after their RX2 window had begun: the station drops them without
    /// `dntxed`, as Basics Station does.
    public var downlinksTooLate = 0
    /// `dnmsg` for a DevEUI this station does not carry.
    public var downlinksForUnknownDevices = 0
    public var transmissionReportsSent = 0
    /// `dnmsg` the station could not read, and `error` messages from the LNS.
    public var malformedMessages = 0
    public var lnsErrors = 0

    public init() {}

    public var description: String {
        "joins \(joinsAccepted)/\(joinRequestsSent) (refused accepts \(joinAcceptsRefused), timeouts \(joinTimeouts)), "
            + "uplinks \(uplinksSent) (confirmed \(confirmedUplinksSent)), downlinks \(downlinksAccepted) accepted "
            + "of \(downlinkMessagesReceived) dnmsg (ACKs \(acknowledgementsReceived), MIC failures \(micFailures), "
            + "refused \(downlinksRefused), outside RX windows \(downlinksOutsideReceiveWindows), too late \(downlinksTooLate))"
    }
}
