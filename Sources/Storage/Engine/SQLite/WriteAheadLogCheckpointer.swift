import Logging
import NIOPosix
import Synchronization

/// Copies the WAL back into the database file on a thread pool, off the commit that made it long.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages, on the
/// committing thread; with statements running on Swift's cooperative threads that would stall one of
/// them for the copy and its `fsync`. This checkpoints *passively* (never waiting for readers or the
/// writer) on its own connection, one at a time; a checkpoint that cannot finish because a reader still
/// uses old frames is simply started again by a later commit.
final class WriteAheadLogCheckpointer: Sendable {
    /// SQLite's own default threshold for its automatic checkpoint, in WAL pages.
    static let threshold: Int32 = 1_000

    private struct State {
        var running = false
        var closed = false
        var idle: CheckedContinuation<Void, Never>?
    }

    private let handle: SQLiteHandle
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let state = Mutex(State())
    let observer: WriteAheadLogObserver

    init(handle: SQLiteHandle, threadPool: NIOThreadPool, logger: Logger) {
        self.handle = handle
        self.threadPool = threadPool
        self.logger = logger
        let start = StartBox()
        observer = WriteAheadLogObserver { frames in start.run?(frames) }
        start.run = { [weak self] frames in self?.committed(walFrames: frames) }
    }

    /// Waits for a running checkpoint and closes the connection; later commits start none.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let wait = state.withLock { state in
                state.closed = true
                guard state.running else { return false }
                state.idle = continuation
                return true
            }
            if !wait { continuation.resume() }
        }
        handle.close()
    }

    private func committed(walFrames: Int32) {
        guard walFrames >= Self.threshold else { return }
        let start = state.withLock { state in
            guard !state.running, !state.closed else { return false }
            state.running = true
            return true
        }
        guard start else { return }
        threadPool.submit { [self] _ in
            do {
                try handle.checkpointPassively()
            } catch {
                logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
            }
            let idle = state.withLock { state in
                state.running = false
                defer { state.idle = nil }
                return state.idle
            }
            idle?.resume()
        }
    }
}

/// Lets the WAL observer, made before `self` exists, call into the checkpointer without retaining it.
private final class StartBox: @unchecked Sendable {
    // Written once in the checkpointer's initialiser, before the observer is registered with SQLite.
    var run: (@Sendable (Int32) -> Void)?
}
