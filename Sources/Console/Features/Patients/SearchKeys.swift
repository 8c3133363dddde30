import DrChronoAPI
import Foundation
import Mirror

/// The patient search pane's keys: typing a search, picking a patient.
extension ConsoleModel {
    // MARK: Patient search

    /// Keys while typing a search; nil when the key is not for the field.
    mutating func typeInSearch(_ key: Key) -> [Effect]? {
        switch key {
        case .escape:
            if search.pickingFor != nil { return goBack() }
            search.editing = false
            return []
        case .enter: return searchAction(.open)
        case .up: search.move(by: -1); return []
        case .down: search.move(by: 1); return []
        case .pageUp: search.move(by: -search.visibleRows); return []
        case .pageDown: search.move(by: search.visibleRows); return []
        case .tab, .backTab, .control("l"), .function: return nil
        default:
            let before = search.query.text
            guard search.query.handle(key) else { return [] }
            return search.query.text == before ? [] : [.reload(.search)]
        }
    }

    mutating func searchAction(_ action: Action) -> [Effect] {
        switch action {
        case .up: search.move(by: -1)
        case .down: search.move(by: 1)
        case .pageUp: search.move(by: -search.visibleRows)
        case .pageDown: search.move(by: search.visibleRows)
        case .top: search.move(by: -search.results.count)
        case .bottom: search.move(by: search.results.count)
        case .open:
            guard let row = search.selectedRow else { return [] }
            if let slot = search.pickingFor {
                search.pickingFor = nil
                openBookingForm(slot: slot, patient: PatientChoice(id: row.patient.id, name: row.name, doctor: row.patient.doctor))
                return []
            }
            return openChart(row.patient.id)
        case .book:
            guard let row = search.selectedRow else { return [] }
            return requireWrite {
                $0.schedule.bookingFor = PatientChoice(id: row.patient.id, name: row.name, doctor: row.patient.doctor)
                $0.show(.schedule)
                $0.say("Booking \(row.name): go to an empty slot and press Enter (Esc to stop).", seconds: 30)
                return []
            }
        case .chart:
            guard let row = search.selectedRow else { return [] }
            return openChart(row.patient.id)
        case .findSlot: return openFindSlot()
        default: break
        }
        return []
    }

    public mutating func openChart(_ patient: Int) -> [Effect] {
        chart.patientId = patient
        show(.notes)
        return [.reload(.chart), .fetchChart(patient: patient)]
    }
}
