import Dispatch
import Foundation

/// Ctrl-C and `kill` as a cancellation: long work (following the change stream, keeping
/// the warehouse current) stops between two steps and says what it did.
enum StopSignals {
    /// Runs `body` in a task that SIGINT or SIGTERM cancels; answers what it answered.
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        return try await task.value
    }
}
