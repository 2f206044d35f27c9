import Foundation
import LoRaWAN
import Logging

/// The operator's MAC settings: desired settings stored with the device and converged over the air by
/// ``MACSettingsPlanner`` in the downlinks that answer the device's uplinks (class A windows, class C
/// devices included), and a ForceRejoinReq queued for the next downlink.
extension NetworkServer {
    /// A device's current and desired MAC settings and where each difference stands.
    /// - Throws: ``MACSettingsError/unknownDevice(_:)``; storage failures as they are.
    public func macSettings(of devEUI: EUI64) async throws -> MACSettingsReport {
        let device = try await registeredDevice(devEUI)
        return MACSettingsReport(device: device, session: try await cache.session(devEUI: devEUI))
    }

    /// Replaces a device's desired MAC settings, after checking them against its session's region (or
    /// its own before it joins) and LoRaWAN version, so a value the device could only refuse is refused
    /// here. Setting them is also the operator asking again: the session's remembered refusals go.
    /// - Throws: ``MACSettingsError/unknownDevice(_:)``, ``MACSettingsError/invalid(_:)`` (nothing is
    ///   stored); storage failures as they are.
    public func setDesiredMACSettings(_ desired: DesiredMACSettings, of devEUI: EUI64) async throws -> MACSettingsReport {
        var device = try await registeredDevice(devEUI)
        let session = try await cache.session(devEUI: devEUI)
        do {
            try desired.validate(region: session?.region ?? device.region, macVersion: session?.macVersion ?? device.macVersion)
        } catch {
            throw MACSettingsError.invalid(error)
        }
        device.desiredMACSettings = desired
        try await devices.save(device)
        let updated = try await updateSession(devEUI) { $0.macReconciliation.forgetRejections() }
        logger.info("desired MAC settings set", metadata: ["dev_eui": "\(devEUI)", "empty": "\(desired.isEmpty)"])
        return MACSettingsReport(device: device, session: updated)
    }

    /// Queues a ForceRejoinReq for a LoRaWAN 1.1 device's next downlink, replacing one still queued.
    /// - Parameter dataRate: the rejoin-requests' data rate; `nil` is the data rate the device uses now.
    /// - Throws: ``MACSettingsError`` for an unknown device, a 1.0 device, no session or a data rate
    ///   the region has no uplink for; storage failures as they are.
    public func forceRejoin(
        _ devEUI: EUI64, rejoinType: ForceRejoinRequest.RejoinType = .type0, dataRate: DataRateIndex? = nil,
        maxRetries: ForceRejoinMaxRetries = ForceRejoinMaxRetries(truncatingIfNeeded: 0),
        period: ForceRejoinPeriod = ForceRejoinPeriod(truncatingIfNeeded: 0)
    ) async throws -> MACSettingsReport {
        let device = try await registeredDevice(devEUI)
        guard device.macVersion.hasSeparateNetworkRootKey else { throw MACSettingsError.forceRejoinNeedsLoRaWAN11(devEUI, device.macVersion) }
        guard let current = try await cache.session(devEUI: devEUI) else { throw MACSettingsError.noSession(devEUI) }
        guard current.isLoRaWAN11 else { throw MACSettingsError.forceRejoinNeedsLoRaWAN11(devEUI, current.macVersion) }
        let rate = dataRate ?? current.macSettings.dataRate
        guard DesiredMACSettings.isUplinkDataRate(rate, in: current.regionalParameters) else {
            throw MACSettingsError.forceRejoinDataRate(rate, current.region)
        }
        let request = ForceRejoinRequest(rejoinType: rejoinType, dataRate: rate, maxRetries: maxRetries, period: period)
        let session = try await updateSession(devEUI) { $0.macReconciliation.forceRejoin = request }
        guard let session else { throw MACSettingsError.noSession(devEUI) }
        logger.info("ForceRejoinReq queued", metadata: ["dev_eui": "\(devEUI)", "request": "\(request)"])
        return MACSettingsReport(device: device, session: session)
    }

    /// The operator's requests for the downlink that answers an uplink of `session`, after `chosen`.
    func plannedMACRequests(for session: NetworkSession, alongside chosen: [DownlinkMACCommand]) async -> [DownlinkMACCommand] {
        let desired: DesiredMACSettings
        do {
            desired = try await devices.desiredMACSettings(of: session.devEUI)
        } catch {
            logger.warning("desired MAC settings could not be read; none are planned now", metadata: [
                "dev_eui": "\(session.devEUI)", "error": "\(error)",
            ])
            desired = DesiredMACSettings()
        }
        return MACSettingsPlanner.requests(for: session, desired: desired, alongside: chosen)
    }

    private func registeredDevice(_ devEUI: EUI64) async throws -> NetworkDevice {
        guard let device = try await devices.device(devEUI) else { throw MACSettingsError.unknownDevice(devEUI) }
        return device
    }

    /// Changes a device's session outside the uplink path the way the uplink path does: in the cache
    /// if it is still the copy read, then in the store, whose counter guard refuses a copy another
    /// instance has moved past (then it reads again). `nil` when the device has no session.
    private func updateSession(_ devEUI: EUI64, _ change: (inout NetworkSession) -> Void) async throws -> NetworkSession? {
        for _ in 0 ..< configuration.sessionConflictRetries {
            guard let previous = try await cache.session(devEUI: devEUI) else { return nil }
            var session = previous
            change(&session)
            if session == previous { return session }
            guard await cache.commit(session, replacing: previous) else { continue }
            let stored: Bool
            do {
                stored = try await store(NetworkSessionUpdate(session: session, macStateChanged: true))
            } catch {
                await cache.evict(devEUI: devEUI)
                throw error
            }
            if stored { return session }
            await cache.evict(devEUI: devEUI)
        }
        throw MACSettingsError.sessionBusy(devEUI)
    }
}
