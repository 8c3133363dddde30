import DrChronoAPI
import Foundation
import Mirror

/// The billing pane's keys: the day's visits and their line items.
extension ConsoleModel {
    // MARK: Billing

    mutating func billingAction(_ action: Action) -> [Effect] {
        switch action {
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            let before = billing.selectedVisit?.id
            let delta =
                switch action {
                case .up: -1
                case .down: 1
                case .pageUp: -billing.visibleRows
                case .pageDown: billing.visibleRows
                case .top: -billing.visits.count
                default: billing.visits.count
                }
            billing.move(by: delta)
            return billing.selectedVisit?.id == before ? [] : [.reload(.billing)]
        case .today, .nextDay, .previousDay:
            billing.day = action == .today ? now.startOfDay : billing.day.adding(days: action == .nextDay ? 1 : -1)
            billing.selected = 0
            return [.reload(.billing)]
        case .open, .addLineItem:
            guard let visit = billing.selectedVisit else {
                say("There are no visits on this day to bill: n and p change the day."); return []
            }
            return requireWrite(.billing) {
                $0.overlay = .charge(ChargeForm(appointment: visit.id, patientName: $0.billing.name(of: visit))); return []
            }
        case .chart:
            guard let patient = billing.selectedVisit?.patient else { return [] }
            return openChart(patient)
        default: return []
        }
    }
}
