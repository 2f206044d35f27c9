import Foundation

/// Reads the malloc counter that `scripts/bench` preloads (`scripts/malloc-counter.c`), so the benchmark
/// can show that the per-frame path does not touch the heap. Without the preload it reports nothing.
struct HeapAllocationCounter {
    private typealias Counter = @convention(c) () -> UInt64
    private let read: Counter?

    init() {
        // RTLD_DEFAULT is a null handle on glibc.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gatehouse_malloc_count") {
            read = unsafeBitCast(symbol, to: Counter.self)
        } else {
            read = nil
        }
    }

    func allocationsPerOperation(_ body: () -> UInt64, operations: Int) -> Double? {
        guard let read else { return nil }
        _ = body()  // first run may allocate lazily initialised state
        let before = read()
        let sink = body()
        let after = read()
        if sink == 0x5EED { print("") }
        return Double(after &- before) / Double(operations)
    }
}
