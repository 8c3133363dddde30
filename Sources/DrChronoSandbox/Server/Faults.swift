/// Faults the sandbox injects, so clients are tested against a DrChrono having a bad day.
///
/// Written as a comma-separated spec, on the command line (`--faults`) or through
/// `PUT /_sandbox/faults`:
///
/// | term | effect |
/// |---|---|
/// | `latency=200ms`, `latency=50-400ms` | every API request waits that long (a range: uniformly) |
/// | `5xx=0.1` | that share of API requests answers 500, 502 or 503 before doing anything |
/// | `drop=0.05` | that share of writes is committed, then the connection is dropped: the ambiguous write |
/// | `redirect=0.2` | that share of API requests answers 302 to an equivalent URL (trailing slash added) |
/// | `429=0.05` | that share of API requests answers 429 as if throttled |
/// | `expire=0.01` | that share of API requests finds its access token expired early (401) |
/// | `token-lifetime=3600` | access tokens issued from now on live that many seconds |
///
/// `none` (or an empty spec) turns all of them off.
public struct FaultSpec: Sendable, Equatable, CustomStringConvertible {
    public var latencyMilliseconds: ClosedRange<Int>? = nil
    public var serverErrorRate = 0.0
    public var dropAfterCommitRate = 0.0
    public var redirectRate = 0.0
    public var throttleRate = 0.0
    public var expireTokenRate = 0.0
    public var tokenLifetime: Int? = nil

    public init() {}

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws(ParseError) {
        self.init()
        for term in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !term.isEmpty && term != "none" {
            let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ParseError(description: "fault '\(term)' needs a value, as in 5xx=0.1") }
            let (key, value) = (parts[0].lowercased(), parts[1])
            func rate() throws(ParseError) -> Double {
                guard let rate = Double(value), (0...1).contains(rate) else {
                    throw ParseError(description: "fault '\(key)' takes a share between 0 and 1, as in \(key)=0.1; got '\(value)'")
                }
                return rate
            }
            switch key {
            case "latency":
                let numbers = value.lowercased().replacingOccurrences(of: "ms", with: "").split(separator: "-").compactMap { Int($0) }
                guard (1...2).contains(numbers.count), numbers.allSatisfy({ $0 >= 0 }), numbers.first! <= numbers.last! else {
                    throw ParseError(description: "latency takes milliseconds, as in latency=200ms or latency=50-400ms; got '\(value)'")
                }
                latencyMilliseconds = numbers.first!...numbers.last!
            case "5xx": serverErrorRate = try rate()
            case "drop": dropAfterCommitRate = try rate()
            case "redirect": redirectRate = try rate()
            case "429": throttleRate = try rate()
            case "expire": expireTokenRate = try rate()
            case "token-lifetime":
                guard let seconds = Int(value), seconds > 0 else {
                    throw ParseError(description: "token-lifetime takes seconds, as in token-lifetime=3600")
                }
                tokenLifetime = seconds
            default:
                throw ParseError(description: "unknown fault '\(key)'; known: latency, 5xx, drop, redirect, 429, expire, token-lifetime")
            }
        }
    }

    public var description: String {
        var terms: [String] = []
        if let latency = latencyMilliseconds {
            terms.append(
                latency.lowerBound == latency.upperBound
                    ? "latency=\(latency.lowerBound)ms" : "latency=\(latency.lowerBound)-\(latency.upperBound)ms")
        }
        if serverErrorRate > 0 { terms.append("5xx=\(serverErrorRate)") }
        if dropAfterCommitRate > 0 { terms.append("drop=\(dropAfterCommitRate)") }
        if redirectRate > 0 { terms.append("redirect=\(redirectRate)") }
        if throttleRate > 0 { terms.append("429=\(throttleRate)") }
        if expireTokenRate > 0 { terms.append("expire=\(expireTokenRate)") }
        if let lifetime = tokenLifetime { terms.append("token-lifetime=\(lifetime)") }
        return terms.isEmpty ? "none" : terms.joined(separator: ",")
    }
}
