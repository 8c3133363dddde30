import Foundation

/// How reads are retried after a network failure or a 5xx: capped exponential backoff
/// with full jitter, inside a retry budget so an outage does not multiply traffic.
/// Writes are never retried blindly (see ``APIError/ambiguous(_:)``).
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts = 4
    public var baseDelay: TimeInterval = 0.5
    public var maxDelay: TimeInterval = 8
    /// Retries allowed per request sent, on average (10%), with a floor of `minimumRetries`.
    public var retryRatio = 0.1
    public var minimumRetries = 10.0

    public init() {}

    /// Full jitter: uniformly between zero and the capped exponential delay.
    public func delay(beforeRetry attempt: Int) -> TimeInterval {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt)))
        return Double.random(in: 0...ceiling)
    }
}

/// Tokens for retries: each request earns a tenth of one, each retry spends one.
struct RetryAllowance {
    var tokens: Double
    let policy: RetryPolicy

    init(policy: RetryPolicy) { self.policy = policy; tokens = policy.minimumRetries }

    mutating func earn() { tokens = min(policy.minimumRetries * 10, tokens + policy.retryRatio) }

    mutating func spend() -> Bool {
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
