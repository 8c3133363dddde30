/// DrChrono's two throttles, kept per API application (client id).
///
/// - An hourly budget (500 by default) in a fixed window that resets at the top of the
///   sandbox clock's hour — not a rolling window.
/// - A burst throttle of 10 requests within any one second. DrChrono does not publish
///   what the burst throttle is keyed on; the sandbox keys it per application, method
///   and endpoint (`GET /api/patients`, `PATCH /api/appointments/{id}`, …), the reading
///   under which a client paging through several lists one after another is not
///   throttled on loopback (where answers take a millisecond, not DrChrono's hundreds)
///   while ten quick calls to one endpoint are. Clients should keep their whole rate under 10/s
///   anyway: the counters report the busiest second across all endpoints.
///
/// A throttled request answers 429 and does not count against the hour.
struct RequestLimits: Sendable {
    var enabled: Bool
    var hourly = 500
    var burst = 10

    private var hourWindow: [String: (hour: Int, count: Int)] = [:]
    private var recent: [String: [Double]] = [:]

    init(enabled: Bool) { self.enabled = enabled }

    enum Verdict: Equatable { case allowed, hourlyExceeded, burstExceeded }

    /// Decides one request of `client` to `endpoint` at sandbox time `now` (seconds).
    mutating func admit(client: String, endpoint: String, now: Double) -> Verdict {
        guard enabled else { return .allowed }
        let hour = Int((now / 3600).rounded(.down))
        var window = hourWindow[client] ?? (hour, 0)
        if window.hour != hour { window = (hour, 0) }
        if window.count >= hourly { hourWindow[client] = window; return .hourlyExceeded }
        let key = client + " " + endpoint
        var times = (recent[key] ?? []).filter { $0 > now - 1 }
        if times.count >= burst { recent[key] = times; return .burstExceeded }
        times.append(now)
        recent[key] = times
        window.count += 1
        hourWindow[client] = window
        return .allowed
    }

    /// Requests left this hour for `client` at `now`.
    func remaining(client: String, now: Double) -> Int {
        let hour = Int((now / 3600).rounded(.down))
        guard let window = hourWindow[client], window.hour == hour else { return hourly }
        return max(0, hourly - window.count)
    }

    mutating func reset() {
        hourWindow = [:]
        recent = [:]
    }
}
