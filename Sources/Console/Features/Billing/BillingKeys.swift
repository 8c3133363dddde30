import DrChronoAPI
import Foundation
import Mirror
import Practice

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
                var form = ChargeForm(appointment: visit.id, patientName: $0.billing.name(of: visit))
                form.prices = $0.billing.prices
                form.codeDescriptions = $0.billing.codeDescriptions
                $0.overlay = .charge(form)
                return []
            }
        case .fixLineItem, .voidLineItem:
            guard let visit = billing.selectedVisit, !billing.lineItems.isEmpty else {
                say("This visit has no line items to \(action == .fixLineItem ? "correct" : "void").")
                return []
            }
            let purpose: LineItemPick.Purpose = action == .fixLineItem ? .fix : .void
            return requireWrite(.billing) { model in
                let pick = LineItemPick(
                    purpose: purpose, items: model.billing.lineItems, appointment: visit.id, patientName: model.billing.name(of: visit))
                if pick.items.count == 1 { return model.act(on: pick.items[0], for: pick) }
                model.overlay = .pickLineItem(pick)
                return []
            }
        case .applyProfile:
            guard let visit = billing.selectedVisit else { return [] }
            guard !billing.profiles.isEmpty else {
                say("The practice has no billing profiles in DrChrono yet.")
                return []
            }
            return requireWrite(.billing) { model in
                model.overlay = .profilePicker(visit, name: model.billing.name(of: visit), selection: 0)
                return []
            }
        case .billingStatus, .claimNote:
            guard let visit = billing.selectedVisit else { return [] }
            return requireWrite(.billing) { model in
                let name = model.billing.name(of: visit)
                let current = BillingStatus.allCases.firstIndex { $0.rawValue == model.billing.billingStatuses[visit.id] } ?? 0
                model.overlay =
                    action == .billingStatus
                    ? .billingStatusPicker(visit, name: name, selection: current)
                    : .claimNote(visit, name: name, text: TextField(limit: 1000))
                return []
            }
        case .dayTotals: return run(.dayTotals)
        case .chart:
            guard let patient = billing.selectedVisit?.patient else { return [] }
            return openChart(patient)
        default: return []
        }
    }

    /// The line item picked: its correction form, or the question before voiding it.
    mutating func act(on item: LineItem, for pick: LineItemPick) -> [Effect] {
        switch pick.purpose {
        case .fix:
            var form = ChargeForm(fixing: item, appointment: pick.appointment, patientName: pick.patientName)
            form.codeDescriptions = billing.codeDescriptions
            form.prices = billing.prices
            overlay = .charge(form)
        case .void: overlay = .confirmVoid(item, name: pick.patientName)
        }
        return []
    }

    mutating func pressInLineItemPick(_ pick: LineItemPick, _ key: Key) -> [Effect] {
        var pick = pick
        switch keyMap.action(for: key, within: .dialog) {
        case .up?: pick.selection = max(0, pick.selection - 1)
        case .down?: pick.selection = min(pick.items.count - 1, pick.selection + 1)
        case .open?: return act(on: pick.items[pick.selection], for: pick)
        case .back?, .quit?:
            overlay = nil
            return []
        default: break
        }
        overlay = .pickLineItem(pick)
        return []
    }
}
