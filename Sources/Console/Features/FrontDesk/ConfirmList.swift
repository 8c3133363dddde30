import DrChronoAPI
import Foundation
import Mirror
import Practice

/// Tomorrow's worklist: the visits still to confirm, with the numbers to call, and
/// the visits whose insurance DrChrono could not confirm (no check, or inactive).
public struct ConfirmList: Sendable, Equatable {
    /// A visit on the list, as the practice's rules read it.
    public typealias Row = VisitToConfirm

    public var day: LocalDateTime
    /// Every visit of the day, in time order (cancelled ones left out).
    public var all: [Row] = []
    public var selected = 0
    public var top = 0
    /// The visit whose cancelling waits for a second x.
    public var cancelling: String?

    public init(day: LocalDateTime) { self.day = day.startOfDay }

    /// What the list shows: the visits to confirm, and any other with a coverage flag.
    public var rows: [Row] { all.filter { $0.toConfirm || $0.coverageFlag != nil } }
    public var selectedRow: Row? { rows.indices.contains(selected) ? rows[selected] : nil }

    public var summary: String {
        let confirm = all.filter(\.toConfirm).count
        let unchecked = all.filter { $0.eligibility == nil }.count
        let inactive = all.filter { $0.eligibility?.isInactive == true }.count
        return "\(confirm) to confirm · \(unchecked) without an eligibility check · \(inactive) inactive · \(all.count) visits"
    }

    mutating func move(by step: Int, visible: Int) {
        guard !rows.isEmpty else { return }
        selected = min(max(0, selected + step), rows.count - 1)
        if selected < top { top = selected }
        if selected >= top + visible { top = selected - visible + 1 }
        cancelling = nil
    }
}

extension ConsoleModel {
    /// `confirm-list`: tomorrow's worklist (the schedule's next day when it shows a day ahead).
    mutating func openConfirmList() -> [Effect] {
        overlay = .confirmList(ConfirmList(day: now.startOfDay.adding(days: 1)))
        return [.reload(.confirmList)]
    }

    mutating func pressInConfirmList(_ list: ConfirmList, _ key: Key) -> [Effect] {
        var list = list
        let visible = 20
        if key == .escape {
            overlay = nil
            return []
        }
        // An armed cancel is carried out by x alone: any other key disarms it, as it says.
        if list.cancelling != nil, key != .character("x") {
            list.cancelling = nil
            say("Kept the visit: nothing was cancelled.")
        }
        switch keyMap.action(for: key, within: .dialog) {
        case .up?: list.move(by: -1, visible: visible)
        case .down?: list.move(by: 1, visible: visible)
        case .pageUp?: list.move(by: -visible, visible: visible)
        case .pageDown?: list.move(by: visible, visible: visible)
        case .quit?, .back?:
            overlay = nil
            return []
        default:
            guard case .character(let letter) = key, let row = list.selectedRow else { break }
            let visit = row.appointment
            switch letter {
            case "y", "c":
                list.cancelling = nil
                overlay = .confirmList(list)
                return requireWrite { model in [model.queue(.setStatus(appointment: visit.id, status: .confirmed, who: row.patientName))] }
            case "m":
                list.cancelling = nil
                overlay = .confirmList(list)
                let notes = MessageLeft.notes(visit.notes, adding: MessageLeft.stamp(at: now, by: person))
                return requireWrite { model in [model.queue(.leaveMessage(appointment: visit.id, notes: notes, who: row.patientName))] }
            case "x":
                if list.cancelling == visit.id {
                    list.cancelling = nil
                    overlay = .confirmList(list)
                    return requireWrite { model in
                        [model.queue(.setStatus(appointment: visit.id, status: .cancelled, who: row.patientName))]
                    }
                }
                list.cancelling = visit.id
                say("Press x again to cancel \(row.patientName)'s visit, any other key to keep it.", seconds: 10)
            case "r":
                // To the day's schedule, moving the visit: Enter on its new slot.
                return requireWrite { model in
                    model.overlay = nil
                    model.schedule.go(to: list.day)
                    model.show(.schedule)
                    model.schedule.moving = visit
                    model.say("Moving \(row.patientName): go to the new slot and press Enter (Esc to stop).", seconds: 30)
                    return [.reload(.schedule)]
                }
            default: break
            }
        }
        overlay = .confirmList(list)
        return []
    }
}
