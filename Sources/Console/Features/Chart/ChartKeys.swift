import DrChronoAPI
import Foundation
import Mirror

/// The notes pane's keys: notes, sections, finding in a note.
extension ConsoleModel {
    // MARK: Notes

    mutating func typeInFind(_ key: Key) -> [Effect] {
        guard var field = chart.finding else { return [] }
        switch key {
        case .escape: chart.finding = nil
        case .enter:
            chart.finding = nil
            chart.find(field.text)
            if let summary = chart.matchSummary { say(summary) }
        default:
            field.handle(key)
            chart.finding = field
        }
        return []
    }

    mutating func notesAction(_ action: Action) -> [Effect] {
        let page = max(1, chart.visibleRows / 2)
        if action == .open, chart.section == .documents, let data = chart.data, data.documents.indices.contains(chart.selected) {
            let document = data.documents[chart.selected]
            guard document.url?.isEmpty == false else { say("DrChrono gave no file for this document.", error: true); return [] }
            say("Fetching \(document.description) from DrChrono…", seconds: 30)
            return [
                .openDocument(document),
                .audit([AuditTrail.Event(.documentOpen, patient: document.patient, reference: String(document.id))]),
            ]
        }
        switch action {
        case .up: chart.move(by: -1)
        case .down: chart.move(by: 1)
        case .top: chart.move(by: -chart.rowCount)
        case .bottom: chart.move(by: chart.rowCount)
        case .pageUp: chart.scrollBody(by: -page)
        case .pageDown: chart.scrollBody(by: page)
        case .left, .previousSection: chart.switchSection(by: -1)
        case .right, .nextSection: chart.switchSection(by: 1)
        case .find:
            guard chart.selectedNote != nil else { say("Open a note first (Notes section, j/k to pick one)."); return [] }
            chart.finding = TextField(limit: 60)
        case .nextMatch: chart.nextMatch(1); if let summary = chart.matchSummary { say(summary) }
        case .previousMatch: chart.nextMatch(-1); if let summary = chart.matchSummary { say(summary) }
        default: break
        }
        return []
    }
}
