#if canImport(Glibc)
import Glibc
#endif
import GatewayServer
import ServiceLifecycle

/// Gives the memory of closed gateway connections back to the system after a wave of disconnections.
///
/// Each station connection holds tens of KiB of TLS and websocket buffers. When thousands of stations
/// drop at once (a network outage) and come back, glibc keeps the freed heap pages resident, and the
/// reconnected fleet lands on fragmented ones: measured with `gatehouse bench connections
/// --reconnect-rounds 4`, the server's memory per connection grew from 48 KiB on a fresh start to
/// 90 KiB. `malloc_trim(0)` releases free pages inside the heap as well as at its top. It costs a few
/// milliseconds on a large heap, so it runs only after many closes, at most once a second.
struct FreedMemoryReturner: Service {
    static let interval: Duration = .seconds(1)
    /// Closed connections that justify a trim.
    static let threshold = 256

    let connections: GatewayConnectionRegistry

    func run() async {
        await cancelWhenGracefulShutdown {
            var trimmedAt = connections.closedCount
            while true {
                do { try await Task.sleep(for: Self.interval) } catch { return }
                let closed = connections.closedCount
                guard closed - trimmedAt >= Self.threshold else { continue }
                trimmedAt = closed
                Self.returnFreedMemory()
            }
        }
    }

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not export
    /// `<malloc.h>`, and a C library without it (musl) simply has nothing to trim.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    static func returnFreedMemory() {
        _ = mallocTrim?(0)
    }
}
