import BackendInterfaces
import Foundation
import LoRaWAN
import Logging

extension NetworkServer {
    /// A join-request: the device must be registered here; the Join Server checks its MIC and nonce and
    /// derives the keys; the network keys come back wrapped under this server's KEK and are opened into
    /// a new session, stored before the join-accept goes out through the gateway that heard it best.
    func processJoinRequest(_ frame: UplinkCollector.Frame, receivedAt: Date) async {
        let request: JoinRequest
        do {
            request = try JoinRequest(decoding: frame.phyPayload)
        } catch {
            await drop(.malformed(error), devEUI: nil, devAddr: nil)
            return
        }
        let devEUI = request.devEUI
        let device: NetworkDevice?
        do {
            device = try await devices.device(devEUI)
        } catch {
            refuseJoin(devEUI, "the device could not be read: \(error)", metric: "storage_failed")
            return
        }
        guard let device, device.activation == .otaa else {
            refuseJoin(devEUI, "DevEUI \(devEUI) is not an OTAA device of this network", metric: "unknown_device")
            return
        }
        let best = frame.best
        guard let region = await regionOfJoin(device, heardBy: best.gatewayEUI) else {
            refuseJoin(devEUI, "no region: the device has none and gateway \(best.gatewayEUI) is not registered", metric: "no_region")
            return
        }
        let devAddr = DevAddr(netID: configuration.netID, nwkAddr: UInt32.random(in: 0 ... .max))
        let regional = region.parameters
        let cfList = JoinChannelPlan.cfList(for: region)
        let joinReq = JoinReq(
            header: BackendHeader(
                protocolVersion: configuration.backendProtocolVersion, senderID: configuration.senderID,
                receiverID: request.joinEUI.description, transactionID: UInt32.random(in: 1 ... .max), messageType: .joinReq),
            macVersion: device.macVersion, phyPayload: frame.phyPayload, devEUI: devEUI, devAddr: devAddr,
            dlSettings: DLSettings(optNeg: false, rx1DROffset: 0, rx2DataRate: regional.rx2.dataRate.rawValue) ?? DLSettings(byte: 0),
            rxDelay: 1, cfList: cfList.flatMap { try? CFList(bytes: $0.bytes) })
        let answer: JoinAns
        do {
            answer = try await joinService.join(joinReq)
        } catch {
            refuseJoin(devEUI, "\(error)", metric: "join_server_unreachable")
            return
        }
        guard answer.result.isSuccess, let accept = answer.phyPayload else {
            refuseJoin(devEUI, "the Join Server answered \(answer.result)", metric: answer.result.code.rawValue)
            return
        }
        let session: NetworkSession
        do {
            let keys = try openNetworkKeys(answer, macVersion: device.macVersion)
            let settings = MACSettings.defaults(for: region, rx2DataRate: regional.rx2.dataRate, cfList: cfList)
            session = try NetworkSession(
                devEUI: devEUI, devAddr: devAddr, macVersion: device.macVersion, region: region, activation: .otaa, keys: keys,
                sessionKeyID: answer.sessionKeyID ?? [], macSettings: settings)
            try await storeActivation(session)
        } catch {
            refuseJoin(devEUI, "the session could not be set up: \(error)", metric: "session_failed")
            return
        }
        await cache.activated(session)
        await sightings.record(devEUI, frame.receptions)
        await sendJoinAccept(accept, devEUI: devEUI, region: region, frame: frame)
        metrics.join("accepted")
        logger.info("device joined", metadata: ["dev_eui": "\(devEUI)", "dev_addr": "\(devAddr)", "lorawan": "\(device.macVersion)"])
        await application.joined(ApplicationJoin(
            devEUI: devEUI, joinEUI: request.joinEUI, devAddr: devAddr, sessionKeyID: session.sessionKeyID, macVersion: device.macVersion,
            joinedAt: receivedAt))
    }

    /// The device's region, or else the region of the gateway that heard it.
    private func regionOfJoin(_ device: NetworkDevice, heardBy gateway: EUI64) async -> Region? {
        if let region = device.region { return region }
        return await gatewayRegion(gateway)
    }

    /// The network keys of a join answer: NwkSKey for 1.0.x, the three 1.1 keys otherwise. The
    /// AppSKey is never opened here, even when a Join Server sends one.
    private func openNetworkKeys(_ answer: JoinAns, macVersion: MACVersion) throws -> NetworkSessionKeys {
        // FOpts are ciphered with the LoRaWAN 1.1 errata's counter rule, which deployed 1.1 devices and
        // other network servers implement.
        if macVersion.hasSeparateNetworkRootKey, let f = answer.fNwkSIntKey, let s = answer.sNwkSIntKey, let e = answer.nwkSEncKey {
            return .current(
                fNwkSIntKey: try f.open(as: FNwkSIntKey.self, with: keks), sNwkSIntKey: try s.open(as: SNwkSIntKey.self, with: keks),
                nwkSEncKey: try e.open(as: NwkSEncKey.self, with: keks), fOptsVariant: .errata)
        }
        guard !macVersion.hasSeparateNetworkRootKey, let nwkSKey = answer.nwkSKey else {
            throw JoinAnswerError.missingNetworkKeys(macVersion)
        }
        return .legacy(nwkSKey: try nwkSKey.open(as: NwkSKey.self, with: keks))
    }

    private func sendJoinAccept(_ accept: [UInt8], devEUI: EUI64, region: Region, frame: UplinkCollector.Frame) async {
        for reception in frame.receptions {
            let diid = await tracker.register(.init(devEUI: devEUI, applicationDownlinkID: nil, confirmed: false))
            do {
                let downlink = try ReceiveWindowPlanner.joinAccept(
                    phyPayload: accept, devEUI: devEUI, region: region, answering: reception.metadata, diid: diid, priority: 255)
                try await gateways.send(downlink, through: reception.gatewayEUI)
                metrics.downlink("join_accept")
                return
            } catch {
                await tracker.cancel(diid)
                logger.notice("join-accept not sent through a gateway", metadata: [
                    "dev_eui": "\(devEUI)", "gateway": "\(reception.gatewayEUI)", "error": "\(error)",
                ])
            }
        }
        metrics.downlink("join_accept_unsent")
    }

    private func refuseJoin(_ devEUI: EUI64, _ detail: String, metric: String) {
        metrics.join(metric)
        logger.notice("join refused", metadata: ["dev_eui": "\(devEUI)", "reason": "\(detail)"])
        let event = NetworkEvent(kind: .joinRefused, devEUI: devEUI, devAddr: nil, detail: detail, time: clock())
        let application = application
        Task { await application.networkEvent(event) }
    }
}

/// A Join Server's answer that does not carry what the session needs.
enum JoinAnswerError: Error, CustomStringConvertible {
    case missingNetworkKeys(MACVersion)

    var description: String {
        switch self {
        case .missingNetworkKeys(let version): "the join answer lacks the network session keys of LoRaWAN \(version)"
        }
    }
}
