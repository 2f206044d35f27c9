import Foundation
import LoRaWAN
import Synchronization

@testable import StationSimulator

/// An LNS and Network Server in memory, behind the `StationTrafficTransport` a `SimulatedStation`
/// talks to: it answers `version` with the EU868 `router_config` of the protocol reference, `jreq` with
/// a join-accept built by `NetworkSide` (as a Join Server would), and `updf` as configured (an ACK for
/// confirmed uplinks). What the station sent is kept for inspection.
final class FakeLNS: StationTrafficTransport, Sendable {
    /// How the fake network answers.
    struct Behaviour: Sendable {
        /// Answer join-requests at all.
        var answersJoins = true
        /// Sign join-accepts with this key instead of the device's (a forgery).
        var forgedJoinKey: AppKey?
        /// The DevEui written into join-accept `dnmsg`s; `nil` writes the device's.
        var joinAcceptDevEUI: EUI64?
        /// Shift the `xtime` of downlinks away from the uplink's (out of the device's receive windows).
        var xtimeShift: Int64 = 0
        /// Answer confirmed uplinks with an ACK.
        var acknowledgesConfirmedUplinks = true
        /// Send this router_config instead of the reference one.
        var routerConfig: String = FakeLNS.referenceRouterConfig
        /// The RX1 delay in seconds given to joining devices and used for their ACKs.
        var rxDelay: UInt8 = 1
    }

    /// What the network knows about a joined device.
    private struct Session {
        var device: VirtualDevice
        var fCntDown: UInt32 = 0
    }

    private struct State {
        var sent: [String] = []
        var devices: [EUI64: VirtualDevice] = [:]
        var sessions: [DevAddr: Session] = [:]
        var nextDevAddr: UInt32 = 0x2600_0001
        var nextDiid: Int64 = 1
        var joinNonce: UInt32 = 1
    }

    let behaviour: Behaviour
    private let state = Mutex(State())
    private let inbox: AsyncStream<StationWebSocket.Message?>
    private let inboxWriter: AsyncStream<StationWebSocket.Message?>.Continuation

    init(devices: [VirtualDevice], behaviour: Behaviour = Behaviour()) {
        self.behaviour = behaviour
        (inbox, inboxWriter) = AsyncStream.makeStream(of: StationWebSocket.Message?.self)
        state.withLock { state in
            for device in devices { state.devices[device.devEUI] = device }
        }
    }

    /// The text frames the station sent, in order.
    var sent: [String] { state.withLock { $0.sent } }

    /// The sent messages of one `msgtype`, as JSON objects.
    func sent(_ msgtype: String) -> [[String: Any]] {
        sent.compactMap { text in
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
            return object["msgtype"] as? String == msgtype ? object : nil
        }
    }

    /// Sends a text frame to the station, as the LNS would.
    func push(_ text: String) { inboxWriter.yield(.text(text)) }

    /// Closes the connection from the server's side.
    func hangUp() { inboxWriter.yield(nil) }

    // MARK: StationTrafficTransport

    func send(text: String) async throws(StationConnectionError) {
        state.withLock { $0.sent.append(text) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], let type = object["msgtype"] as? String else {
            return
        }
        switch type {
        case "version": push(behaviour.routerConfig)
        case "jreq": answerJoin(object)
        case "updf": answerUplink(object)
        default: break
        }
    }

    func receive() async throws(StationConnectionError) -> StationWebSocket.Message? {
        for await message in inbox { return message }
        return nil
    }

    func disconnect() async { inboxWriter.finish() }

    // MARK: The network

    private func answerJoin(_ object: [String: Any]) {
        guard behaviour.answersJoins, let devEUIText = object["DevEui"] as? String, let devEUI = try? EUI64(parsing: devEUIText),
              let devNonce = object["DevNonce"] as? Int, let upinfo = object["upinfo"] as? [String: Any],
              let xtime = (upinfo["xtime"] as? NSNumber)?.int64Value
        else { return }
        let pdu: [UInt8]? = state.withLock { state in
            guard let device = state.devices[devEUI] else { return nil }
            let devAddr = DevAddr(state.nextDevAddr)
            state.nextDevAddr += 1
            state.joinNonce += 1
            guard let accept = try? NetworkSide.joinAccept(
                for: device, devNonce: DevNonce(UInt16(devNonce)), joinNonce: state.joinNonce, devAddr: devAddr,
                rxDelay: behaviour.rxDelay, signingKey: behaviour.forgedJoinKey)
            else { return nil }
            // The network derives the same session the device will: joining a copy gives it the keys.
            var copy = device
            copy.pendingDevNonce = DevNonce(UInt16(devNonce))
            if (try? copy.acceptJoin(accept)) != nil { state.sessions[devAddr] = Session(device: copy) }
            return accept
        }
        guard let pdu else { return }
        push(downlinkMessage(devEUI: behaviour.joinAcceptDevEUI ?? devEUI, pdu: pdu, rxDelay: 5, xtime: xtime))
    }

    private func answerUplink(_ object: [String: Any]) {
        guard behaviour.acknowledgesConfirmedUplinks, object["MHdr"] as? Int == 0x80,
              let devAddrValue = object["DevAddr"] as? Int, let upinfo = object["upinfo"] as? [String: Any],
              let xtime = (upinfo["xtime"] as? NSNumber)?.int64Value
        else { return }
        let devAddr = DevAddr(UInt32(bitPattern: Int32(devAddrValue)))
        let answer: (EUI64, [UInt8])? = state.withLock { state in
            guard var session = state.sessions[devAddr], let deviceSession = session.device.session else { return nil }
            let fCnt = session.fCntDown
            session.fCntDown += 1
            state.sessions[devAddr] = session
            let confFCnt = UInt16(truncatingIfNeeded: object["FCnt"] as? Int ?? 0)
            guard let frame = try? NetworkSide.downlink(to: deviceSession, fCnt: fCnt, ack: true, confFCnt: confFCnt) else { return nil }
            return (session.device.devEUI, frame)
        }
        guard let (devEUI, pdu) = answer else { return }
        push(downlinkMessage(devEUI: devEUI, pdu: pdu, rxDelay: Int(behaviour.rxDelay), xtime: xtime))
    }

    private func downlinkMessage(devEUI: EUI64, pdu: [UInt8], rxDelay: Int, xtime: Int64) -> String {
        let diid = state.withLock { state in
            defer { state.nextDiid += 1 }
            return state.nextDiid
        }
        return #"{"msgtype":"dnmsg","DevEui":"\#(devEUI.dashed)","dC":0,"diid":\#(diid),"pdu":"\#(Hex.encode(pdu, uppercase: true))","#
            + #""RxDelay":\#(rxDelay),"RX1DR":5,"RX1Freq":868100000,"RX2DR":0,"RX2Freq":869525000,"priority":0,"#
            + #""xtime":\#(xtime + behaviour.xtimeShift),"rctx":0,"MuxTime":1795262442.98}"#
    }

    /// The EU868 `router_config` a Basics Station accepted (basics-station-protocol §3.4).
    static let referenceRouterConfig = """
        {"msgtype":"router_config","region":"EU868","hwspec":"sx1301/1",
         "freq_range":[863000000,870000000],
         "DRs":[[12,125,0],[11,125,0],[10,125,0],[9,125,0],[8,125,0],[7,125,0],[7,250,0],[0,0,0],
                [-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0],[-1,0,0]],
         "sx1301_conf":[{"radio_0":{"enable":true,"freq":867500000},"radio_1":{"enable":true,"freq":868500000},
           "chan_FSK":{"enable":false},"chan_Lora_std":{"enable":false},
           "chan_multiSF_0":{"enable":true,"radio":1,"if":-400000},"chan_multiSF_1":{"enable":true,"radio":1,"if":-200000},
           "chan_multiSF_2":{"enable":true,"radio":1,"if":0},"chan_multiSF_3":{"enable":true,"radio":0,"if":-400000},
           "chan_multiSF_4":{"enable":true,"radio":0,"if":-200000},"chan_multiSF_5":{"enable":true,"radio":0,"if":0},
           "chan_multiSF_6":{"enable":true,"radio":0,"if":200000},"chan_multiSF_7":{"enable":true,"radio":0,"if":400000}}],
         "upchannels":[[868100000,0,5],[868300000,0,5],[868500000,0,5]],
         "max_eirp":16.0,"JoinEui":null,"NetID":null,"nocca":true,"nodc":true,"nodwell":true,
         "MuxTime":1795262442.98}
        """
}
