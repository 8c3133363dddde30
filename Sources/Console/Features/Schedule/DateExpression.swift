import DrChronoAPI
import Foundation
import Mirror

/// A date typed at the schedule's "go to" prompt: `T` (today), `T+1`, `T-2`, `T+1W`,
/// `T-3M`, `12/3` (this year, or next if that day has passed long ago), `12/3/27`,
/// `2026-12-03`.
public struct DateExpression: Sendable, Equatable {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case noSuchDay(String)
        case outOfRange(String)

        public var description: String {
            switch self {
            case .unreadable(let text): "'\(text)' is not a date: try T, T+1, T-1W, 12/3 or 2026-12-03"
            case .noSuchDay(let text): "there is no such day as \(text)"
            case .outOfRange(let text):
                "'\(text)' falls outside the years \(DateExpression.years.lowerBound) to \(DateExpression.years.upperBound) that a practice's dates are in"
            }
        }
    }

    public let text: String

    public init(_ text: String) { self.text = text.trimmingCharacters(in: .whitespaces) }

    /// The years a day may fall in: births since 1900, bookings well ahead. A day outside
    /// is a slip of the finger (`0000-01-01`, `T-1000Y`), refused rather than shown.
    public static let years = 1900...2199

    /// The day this expression names, seen from `today`.
    public func resolve(today: LocalDateTime) throws(Problem) -> LocalDateTime {
        let day = try day(seenFrom: today)
        guard Self.years.contains(day.year) else { throw .outOfRange(text) }
        return day
    }

    private func day(seenFrom today: LocalDateTime) throws(Problem) -> LocalDateTime {
        let upper = text.uppercased()
        let today = today.startOfDay
        if upper.hasPrefix("T") {
            let rest = upper.dropFirst()
            if rest.isEmpty { return today }
            guard let sign = rest.first, sign == "+" || sign == "-" else { throw .unreadable(text) }
            var digits = rest.dropFirst()
            var unit: Character = "D"
            if let last = digits.last, "DWMY".contains(last) { unit = last; digits = digits.dropLast() }
            guard let count = Int(digits), count <= 5000 else { throw .unreadable(text) }
            let amount = sign == "+" ? count : -count
            switch unit {
            case "W": return today.adding(days: amount * 7)
            case "M": return Self.addingMonths(amount, to: today)
            case "Y": return Self.addingMonths(amount * 12, to: today)
            default: return today.adding(days: amount)
            }
        }
        if let iso = LocalDateTime(text), text.count == 10 { return iso }
        let parts = text.split(separator: "/").map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { throw .unreadable(text) }
        let month = parts[0]!
        let day = parts[1]!
        var year = today.year
        if parts.count == 3 { year = parts[2]! < 100 ? 2000 + parts[2]! : parts[2]! }
        guard (1...12).contains(month), (1...LocalDateTime.daysIn(month: month, year: year)).contains(day) else { throw .noSuchDay(text) }
        var date = LocalDateTime(year: year, month: month, day: day)
        // "1/5" typed in late December means the coming January, not last January.
        if parts.count == 2, date.dayNumber < today.dayNumber - 180 { date.year += 1 }
        return date
    }

    static func addingMonths(_ months: Int, to date: LocalDateTime) -> LocalDateTime {
        let index = date.year * 12 + (date.month - 1) + months
        let year = index / 12
        let month = index % 12 + 1
        return LocalDateTime(year: year, month: month, day: min(date.day, LocalDateTime.daysIn(month: month, year: year)))
    }
}
