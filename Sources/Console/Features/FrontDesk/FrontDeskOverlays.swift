import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The front desk's read-only lists: the day's payments and totals.
extension ConsoleModel {
    mutating func pressInCollections(_ list: CollectionsList, _ key: Key) -> [Effect] {
        var list = list
        guard let top = scrolled(list.top, lines: list.lines.count, by: key) else { overlay = nil; return [] }
        list.top = top
        overlay = .collections(list)
        return []
    }

    mutating func pressInDayTotals(_ list: DayTotalsList, _ key: Key) -> [Effect] {
        var list = list
        guard let top = scrolled(list.top, lines: list.lines.count, by: key) else { overlay = nil; return [] }
        list.top = top
        overlay = .dayTotals(list)
        return []
    }
}
