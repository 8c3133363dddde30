import Foundation

/// A wall-clock time as DrChrono writes it: `2021-02-14T13:40:39`, with no time zone.
///
/// DrChrono's timestamps are in the practice's local time. Keeping them as wall-clock
/// values, rather than converting to `Date` on arrival, means a schedule drawn for
/// 10:30 is the 10:30 the front desk sees in the web app, whatever zone the console
/// runs in. Convert with ``date(in:)`` only where an instant is really needed.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }

    /// Reads `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.ffffff]]`, with `T` or a space, and
    /// ignores a trailing zone designator (`Z`, `+00:00`), which DrChrono does not send
    /// but a proxy or a future version might. Returns nil for anything else.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let b = bytes[index]
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45,
            let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10),
            (1...12).contains(mo), (1...LocalDateTime.daysIn(month: mo, year: y)).contains(d)
        else { return nil }
        var h = 0
        var mi = 0
        var s = 0
        if bytes.count > 10 {
            guard bytes[10] == 84 || bytes[10] == 32, bytes.count >= 16, bytes[13] == 58,
                let hh = number(11..<13), let mm = number(14..<16), hh < 24, mm < 60
            else { return nil }
            (h, mi) = (hh, mm)
            var rest = 16
            if bytes.count >= 19, bytes[16] == 58 {
                guard let ss = number(17..<19), ss < 60 else { return nil }
                s = ss
                rest = 19
                if rest < bytes.count, bytes[rest] == 46 {  // fractional seconds
                    rest += 1
                    while rest < bytes.count, bytes[rest] >= 48, bytes[rest] <= 57 { rest += 1 }
                }
            }
            if rest < bytes.count {
                let zone = bytes[rest]
                guard zone == 90 || zone == 43 || zone == 45 else { return nil }
            }
        }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }

    /// `2021-02-14T13:40:39`, as DrChrono writes it.
    public var description: String {
        "\(dateString)T\(pad(hour)):\(pad(minute)):\(pad(second))"
    }

    /// `2021-02-14`.
    public var dateString: String { "\(pad(year, 4))-\(pad(month))-\(pad(day))" }

    /// Midnight of the same day.
    public var startOfDay: LocalDateTime { LocalDateTime(year: year, month: month, day: day) }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute, a.second) < (b.year, b.month, b.day, b.hour, b.minute, b.second)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for calendar arithmetic without zones.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Seconds since 1970-01-01T00:00:00 of the same wall clock.
    public var secondsSinceEpoch: Int { dayNumber * 86400 + hour * 3600 + minute * 60 + second }

    public init(secondsSinceEpoch total: Int) {
        let days = Int((Double(total) / 86400).rounded(.down))
        var rest = total - days * 86400
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        let h = rest / 3600; rest -= h * 3600
        let mi = rest / 60
        self.init(year: y, month: m, day: d, hour: h, minute: mi, second: rest - mi * 60)
    }

    public func adding(seconds: Int) -> LocalDateTime { LocalDateTime(secondsSinceEpoch: secondsSinceEpoch + seconds) }
    public func adding(minutes: Int) -> LocalDateTime { adding(seconds: minutes * 60) }
    public func adding(days: Int) -> LocalDateTime { adding(seconds: days * 86400) }

    /// 0 for Sunday … 6 for Saturday.
    public var weekday: Int { ((dayNumber % 7) + 11) % 7 }

    /// The wall clock of `date` in `zone`.
    public init(_ date: Date, in zone: TimeZone) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        self.init(secondsSinceEpoch: seconds)
    }

    /// The instant this wall clock names in `zone` (the earlier one in a repeated hour).
    public func date(in zone: TimeZone) -> Date {
        let guess = Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch))
        let offset = zone.secondsFromGMT(for: guess.addingTimeInterval(TimeInterval(-zone.secondsFromGMT(for: guess))))
        return Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch - offset))
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

private func pad(_ value: Int, _ width: Int = 2) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
