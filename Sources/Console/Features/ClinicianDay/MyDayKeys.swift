import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The clinician's day: their visits, Enter opens a chart.
extension ConsoleModel {
    mutating func pressInMyDay(_ list: MyDayList, _ key: Key) -> [Effect] {
        var list = list
        switch keyMap.action(for: key, within: .dialog) {
        case .up?: list.selected = max(0, list.selected - 1)
        case .down?: list.selected = min(max(0, list.rows.count - 1), list.selected + 1)
        case .open?:
            overlay = nil
            guard list.rows.indices.contains(list.selected), let patient = list.rows[list.selected].appointment.patient else {
                return []
            }
            return openChart(patient)
        default:
            overlay = nil
            return []
        }
        overlay = .myDay(list)
        return []
    }
}
