import LoRaWAN

/// What a simulation run does: join every device (a bounded number at a time), then send uplinks at a
/// total rate spread round-robin over the joined devices, for a count per device or a duration.
public struct SimulationPlan: Sendable {
    public var devices: [VirtualDevice]
    /// Join-requests waiting for their join-accept at the same time.
    public var joinConcurrency: Int = 16
    /// How long a device waits for its join-accept.
    public var joinTimeout: Duration = .seconds(10)
    /// Join-requests per device before it counts as failed; each retry uses a fresh DevNonce.
    public var joinAttempts: Int = 1
    /// Uplinks each joined device sends.
    public var uplinksPerDevice: Int = 1
    /// Total uplinks per second across all devices; 0 sends as fast as the connection takes them.
    public var uplinkRate: Double = 10
    /// Stops sending uplinks after this long even if the count is not reached.
    public var uplinkDuration: Duration?
    public var fPort: UInt8 = 1
    public var payload: [UInt8] = [0x01]
    public var confirmed = false
    /// After the last uplink, how long to wait for downlinks (ACKs of confirmed uplinks, queued
    /// downlinks) before the summary. With confirmed uplinks the wait ends early once all are acknowledged.
    public var downlinkWait: Duration = .seconds(2)
    /// Uplinks written at once: enough to keep the connection busy at high rates.
    public var uplinksInFlight: Int = 32

    public init(devices: [VirtualDevice]) {
        self.devices = devices
    }
}

/// The outcome of a simulation run.
public struct SimulationSummary: Sendable, CustomStringConvertible {
    public var devices = 0
    public var joined = 0
    public var joinFailures = 0
    public var joinDuration: Duration = .zero
    public var uplinksPlanned = 0
    public var uplinksSent = 0
    public var uplinkFailures = 0
    public var uplinkDuration: Duration = .zero
    /// Sending stopped at `SimulationPlan.uplinkDuration` before every planned uplink was sent.
    public var stoppedAtDeadline = false
    public var confirmedUplinks = 0
    /// Data downlinks the devices accepted (MIC verified, counter fresh, payload decrypted).
    public var downlinksVerified = 0
    public var acknowledgements = 0
    public var micFailures = 0
    public var downlinksRefused = 0
    public var downlinksOutsideReceiveWindows = 0
    /// Downlinks the station dropped because they came after their RX2 window began: the server was slow.
    public var downlinksTooLate = 0
    /// The first errors, one line each, without key material.
    public var errors: [String] = []
    public var elapsed: Duration = .zero
    /// The station's counters at the end.
    public var counters = SimulatedStationCounters()

    public init() {}

    /// Uplinks per second actually sent.
    public var achievedUplinkRate: Double {
        let seconds = Double(uplinkDuration.components.seconds) + Double(uplinkDuration.components.attoseconds) / 1e18
        return seconds > 0 ? Double(uplinksSent) / seconds : 0
    }

    /// Every device joined, every uplink went out (or the planned duration ended), nothing failed
    /// verification, and every confirmed uplink was acknowledged.
    public var succeeded: Bool {
        joinFailures == 0 && uplinkFailures == 0 && (uplinksSent == uplinksPlanned || stoppedAtDeadline) && micFailures == 0
            && downlinksRefused == 0 && acknowledgements >= confirmedUplinks
    }

    public var description: String {
        "joined \(joined)/\(devices), uplinks \(uplinksSent)/\(uplinksPlanned) (\(uplinkFailures) failed), "
            + "downlinks verified \(downlinksVerified) (ACKs \(acknowledgements)/\(confirmedUplinks)), MIC failures \(micFailures)"
    }
}
