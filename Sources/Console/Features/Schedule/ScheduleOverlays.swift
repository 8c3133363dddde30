import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The schedule's boxes: go to a date, a visit's status, a cancellation to confirm, the
/// booking form.
extension ConsoleModel {
    mutating func pressInGoToDate(_ field: TextField, _ key: Key) -> [Effect] {
        var field = field
        switch key {
        case .escape: overlay = nil
        case .enter:
            do {
                let day = try DateExpression(field.text).resolve(today: now)
                overlay = nil
                schedule.go(to: day)
                return [.reload(.schedule)]
            } catch {
                overlay = .goToDate(field, error: error.description)
            }
        default:
            field.handle(key)
            overlay = .goToDate(field, error: nil)
        }
        return []
    }

    mutating func pressInStatusPicker(_ appointment: Appointment, selection: Int, _ key: Key) -> [Effect] {
        var selection = selection
        let statuses = AppointmentStatus.all
        // The picker's moves are the key map's (rebindable); DrChrono's status
        // letters pick a status directly.
        switch (keyMap.action(for: key, within: .dialog), key) {
        case (.back?, _), (.quit?, _): overlay = nil
        case (.up?, _): selection = (selection + statuses.count - 1) % statuses.count
        case (.down?, _): selection = (selection + 1) % statuses.count
        case (.open?, _):
            overlay = nil
            return [
                queue(
                    .setStatus(
                        appointment: appointment.id, status: VisitStatus.allCases[selection], who: schedule.data.patientName(appointment)))
            ]
        case (_, .character(let c)):
            if let index = statuses.firstIndex(where: { $0.letter == Character(c.uppercased()) }) {
                overlay = nil
                return [
                    queue(
                        .setStatus(
                            appointment: appointment.id, status: VisitStatus.allCases[index], who: schedule.data.patientName(appointment)))
                ]
            }
        default: break
        }
        if overlay != nil { overlay = .statusPicker(appointment, selection: selection) }
        return []
    }

    mutating func pressInConfirmCancel(_ appointment: Appointment, name: String, _ key: Key) -> [Effect] {
        switch keyMap.action(for: key, within: .dialog) {
        case .confirm?:
            overlay = nil
            return [queue(.setStatus(appointment: appointment.id, status: .cancelled, who: name))]
        case .decline?, .back?: overlay = nil
        default: break
        }
        return []
    }

    mutating func pressInBookingForm(_ form: BookingForm, _ key: Key) -> [Effect] {
        var form = form
        if key == .escape { overlay = nil; say("Nothing was booked."); return [] }
        let submitted = form.handle(key)
        overlay = .booking(form)
        if submitted { return [.checkBooking(form.draft)] }
        return []
    }
}
