import Foundation

/// The clock the client reads and sleeps on. Injected, so tests can pass 48 hours or
/// reach the top of the hour at once (their time source moves the sandbox's clock).
public protocol TimeSource: Sendable {
    func now() async -> Date
    func sleep(seconds: TimeInterval) async throws
}

/// The machine's own clock.
public struct SystemTime: TimeSource {
    public init() {}
    public func now() async -> Date { Date() }
    public func sleep(seconds: TimeInterval) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}
