import BackendInterfaces

/// Why the Join Server refuses a request: the `Result` its answer carries.
struct JoinRefusal: Error, Sendable {
    let result: BackendResult

    init(_ code: BackendResultCode, _ detail: String) {
        result = BackendResult(code, detail)
    }
}
