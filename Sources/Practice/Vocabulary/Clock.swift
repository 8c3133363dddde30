import DrChronoAPI

extension LocalDateTime {
    /// "10:30 am", as a front desk says it: the one way the practice's times are written.
    public var clock: String { LocalDateTime.clock(minutes: hour * 60 + minute) }

    /// "2:05 pm" for 845 minutes after midnight (an office's hours, a slot).
    public static func clock(minutes: Int) -> String {
        let (hour, minute) = (minutes / 60, minutes % 60)
        return "\(hour % 12 == 0 ? 12 : hour % 12):\(minute < 10 ? "0" : "")\(minute) \(hour < 12 ? "am" : "pm")"
    }

    /// "3/14/2026", as the practice writes a date: the one way dates are shown.
    public var usDate: String { "\(month)/\(day)/\(year)" }
}
