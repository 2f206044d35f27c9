import LoRaWAN

/// What a device reported in its last DevStatusAns (LoRaWAN 1.1 §5.6), and on which uplink.
public struct DeviceStatus: Sendable, Hashable, CustomStringConvertible {
    public var battery: DevStatusBattery
    /// The demodulation margin of the DevStatusReq as the device measured it.
    public var margin: DevStatusMargin
    /// FCntUp of the uplink that carried the answer.
    public var fCnt: UInt32

    public init(battery: DevStatusBattery, margin: DevStatusMargin, fCnt: UInt32) {
        self.battery = battery
        self.margin = margin
        self.fCnt = fCnt
    }

    public var description: String { "battery \(battery), margin \(margin) (FCnt \(fCnt))" }
}
