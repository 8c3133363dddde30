import Console
import DrChronoAPI
import Mirror
import Practice

/// The schedule's boxes: go to a date, a visit's status, a cancellation, the booking form.
extension OverlayView {
    static func goToDate(_ text: TextField, error: String?, into buffer: inout CellBuffer, glyphs: Glyphs) {
        // The words under the field wrap: an error says in full what to type.
        let said = TextColumn.wrap(error ?? "T today, T+1 tomorrow, T-1W a week ago, 12/3, 2026-12-03", width: 52).prefix(3)
        let inside = centered(width: 56, height: 5 + said.count, title: "Go to date", into: &buffer, glyphs: glyphs)
        field(label: "Date", value: text.text, focused: true, x: inside.x, y: inside.y, width: inside.width, into: &buffer)
        for (index, line) in said.enumerated() {
            buffer.put(fitting: line, x: inside.x, y: inside.y + 2 + index, width: inside.width, style: error == nil ? .muted : .error)
        }
        buffer.put(fitting: "Enter go  Esc cancel", x: inside.x, y: inside.y + inside.height - 1, width: inside.width, style: .muted)
    }

    static func statusPicker(_ appointment: Appointment, selection: Int, model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs)
    {
        let statuses = AppointmentStatus.all
        let inside = centered(
            width: 44, height: statuses.count + 4, title: "Status of \(model.schedule.data.patientName(appointment))", into: &buffer,
            glyphs: glyphs)
        for (index, status) in statuses.enumerated() {
            let current = status.name == appointment.status ? "  (now)" : ""
            buffer.put(
                fitting: " \(status.letter)  \(status.label)\(current)", x: inside.x, y: inside.y + index, width: inside.width,
                style: index == selection ? .cursor : StyleName(statusStyle: status.style))
        }
        if let message = appointment.lastMessageLeft {
            buffer.put(fitting: message, x: inside.x, y: inside.y + statuses.count, width: inside.width, style: .muted)
        }
        buffer.put(
            fitting: "\(key(.open, model)) or the letter sets it  \(key(.back, model)) cancel", x: inside.x,
            y: inside.y + statuses.count + 1,
            width: inside.width, style: .muted)
    }

    static func confirmCancel(_ appointment: Appointment, name: String, model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs)
    {
        let inside = centered(width: 60, height: 5, title: "Cancel appointment", into: &buffer, glyphs: glyphs)
        buffer.put(
            fitting: "Cancel \(name) at \(appointment.scheduledTime?.clock ?? "")?", x: inside.x, y: inside.y, width: inside.width,
            style: .normal)
        buffer.put(
            fitting: "\(key(.confirm, model)) cancel it  \(key(.decline, model)) keep it", x: inside.x, y: inside.y + 2,
            width: inside.width,
            style: .muted)
    }

    static func booking(_ form: BookingForm, model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let inside = centered(width: 76, height: 16, title: "Book \(form.patient.name)", into: &buffer, glyphs: glyphs)
        let time = form.time
        buffer.put(
            fitting: "When        \(ConsoleView.dayTitle(time, today: model.now)) at \(time.clock)", x: inside.x + 2, y: inside.y,
            width: inside.width - 2, style: .normal)
        let visitType =
            form.offeredVisitTypes.isEmpty
            ? "none set up" : "< " + (form.visitType.map { "\($0.name) (\($0.duration.map { "\($0) min" } ?? "—"))" } ?? "none") + " >"
        let values = [
            visitType, form.duration.text + " minutes", form.reason.text,
            "< " + (form.doctor.map(\.fullName) ?? "no doctor") + " >",
            "< " + (form.room?.name ?? "no room") + " >",
        ]
        for (index, each) in BookingForm.Field.allCases.enumerated() {
            var shown = each == .duration ? form.duration.text + (form.field == .duration ? "" : " minutes") : values[index]
            if each == .duration, let free = form.freeMinutes {
                shown += form.field == .duration ? "" : "  (\(free) free until the next visit)"
            }
            field(
                label: each.title, value: shown, focused: form.field == each, x: inside.x, y: inside.y + 2 + index, width: inside.width,
                labelWidth: 14, into: &buffer)
        }
        problems(form.problems, x: inside.x, y: inside.y + 8, width: inside.width, into: &buffer)
        buffer.put(
            fitting: "Tab next field  ←→ choose type/doctor/room  Enter book  Esc cancel", x: inside.x, y: inside.y + inside.height - 1,
            width: inside.width, style: .muted)
    }
}
