import LoRaWAN

/// Which devices are known to have nothing queued, so the common uplink skips a query for downlinks.
/// A device's first uplink after start asks the store once; enqueues through this server clear the
/// mark. (Downlinks queued through another instance sharing the database reach a device known empty
/// here after that instance's own uplinks, or after a restart.)
actor QueuedDownlinkIndex {
    private var knownEmpty: Set<EUI64> = []

    func mayHaveQueued(_ devEUI: EUI64) -> Bool { !knownEmpty.contains(devEUI) }
    func markEmpty(_ devEUI: EUI64) { knownEmpty.insert(devEUI) }
    func markQueued(_ devEUI: EUI64) { knownEmpty.remove(devEUI) }
}
