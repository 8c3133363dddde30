import DrChronoAPI
import Foundation

/// What clients asked of the sandbox: the exact counts tests assert on ("this pass
/// spent 3 requests", "no request was throttled").
struct RequestCounters: Sendable {
    private(set) var total = 0
    private(set) var byEndpoint: [String: Int] = [:]
    private(set) var byStatus: [Int: Int] = [:]
    private(set) var busiestSecond = 0
    /// List rows served, by endpoint: how tests see that a restarted load repeated at
    /// most a page.
    private(set) var rowsServed: [String: Int] = [:]
    /// Requests and 429s by hour of the sandbox clock (epoch hour): what "every hour
    /// under 125 requests" is checked against.
    private(set) var byHour: [Int: (requests: Int, throttled: Int)] = [:]
    private var currentSecond = -1
    private var inCurrentSecond = 0

    /// `endpoint` is the method and the path with ids replaced: `GET /api/patients/{id}`.
    mutating func record(endpoint: String, status: Int, at now: Double) {
        total += 1
        byEndpoint[endpoint, default: 0] += 1
        byStatus[status, default: 0] += 1
        let hour = Int((now / 3600).rounded(.down))
        byHour[hour, default: (0, 0)].requests += 1
        if status == 429 { byHour[hour, default: (0, 0)].throttled += 1 }
        let second = Int(now.rounded(.down))
        if second == currentSecond { inCurrentSecond += 1 } else { currentSecond = second; inCurrentSecond = 1 }
        busiestSecond = max(busiestSecond, inCurrentSecond)
    }

    mutating func served(rows: Int, endpoint: String) { rowsServed[endpoint, default: 0] += rows }

    mutating func reset() { self = RequestCounters() }

    func json(timeZone: TimeZone) -> JSONValue {
        var endpoints = JSONObject()
        for key in byEndpoint.keys.sorted() { endpoints[key] = .int(byEndpoint[key]!) }
        var statuses = JSONObject()
        for key in byStatus.keys.sorted() { statuses[String(key)] = .int(byStatus[key]!) }
        var rows = JSONObject()
        for key in rowsServed.keys.sorted() { rows[key] = .int(rowsServed[key]!) }
        return .object([
            "total": .int(total), "by_endpoint": .object(endpoints), "by_status": .object(statuses),
            "busiest_second": .int(busiestSecond), "rows_served": .object(rows),
            "by_hour": .array(
                byHour.keys.sorted().map { hour in
                    .object([
                        "hour": .string(LocalDateTime(Date(timeIntervalSince1970: Double(hour * 3600)), in: timeZone).description),
                        "requests": .int(byHour[hour]!.requests), "throttled": .int(byHour[hour]!.throttled),
                    ])
                }),
        ])
    }

    /// `/api/patients/123/` → `/api/patients/{id}`.
    static func template(of path: String) -> String {
        let parts = path.split(separator: "/").map { part -> String in
            part.allSatisfy(\.isNumber) || (part.contains("-") && part.count >= 32) ? "{id}" : String(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
