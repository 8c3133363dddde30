import Console
import DrChronoAPI

/// Boxes over the pane: help, the command line, prompts, pickers and forms.
/// The front desk's forms and lists: attaching a scan, the next free slot, tomorrow's visits to confirm.
extension OverlayView {
    static func attach(_ form: AttachForm, inbox: String, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let inside = centered(width: 84, height: 16, title: "Attach to \(form.patientName)'s chart", into: &buffer, glyphs: glyphs)
        // A long path shows its end: the file's name is what the person checks.
        let room = inside.width - 14 - 2
        let path = TerminalText.width(of: form.path.text) > room ? "…" + String(form.path.text.suffix(room - 1)) : form.path.text
        let values = [
            path, form.description.text, form.date.text,
            "< " + (form.doctor.map { "Dr. \($0.lastName)" } ?? "no doctor") + " >",
        ]
        let hints = ["Tab lists the inbox's scans", "as Insurance card", "T, T-1, 12/3", "←→"]
        for (index, label) in AttachForm.fieldNames.enumerated() {
            field(
                label: label, value: values[index], focused: form.field == index, x: inside.x, y: inside.y + index,
                width: inside.width, labelWidth: 14, into: &buffer)
            if values[index].isEmpty || index == 3 {
                buffer.put(fitting: hints[index], x: inside.x + inside.width - 31, y: inside.y + index, width: 31, style: .muted)
            }
        }
        let shown = form.candidates.prefix(5)
        for (index, name) in shown.enumerated() {
            buffer.put(fitting: "  " + name, x: inside.x + 14, y: inside.y + 5 + index, width: inside.width - 14, style: .muted)
        }
        if form.candidates.count > shown.count {
            buffer.put(
                fitting: "  … and \(form.candidates.count - shown.count) more", x: inside.x + 14, y: inside.y + 10,
                width: inside.width - 14,
                style: .muted)
        }
        problems(form.problems, x: inside.x, y: inside.y + 11, width: inside.width, into: &buffer)
        buffer.put(fitting: "From the inbox: " + inbox, x: inside.x, y: inside.y + 12, width: inside.width, style: .muted)
        buffer.put(
            fitting: "Tab completes the name, next field  ↓↑ move  ←→ doctor  Enter attach  Esc cancel", x: inside.x,
            y: inside.y + inside.height - 1, width: inside.width, style: .muted)
    }

    static func findSlot(_ form: FindSlotForm, model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let results = form.results ?? []
        let inside = centered(
            width: 84, height: min(buffer.height - 2, 12 + max(1, min(results.count, 10))),
            title: "Next free slot" + (form.patient.map { " for \($0.name)" } ?? ""), into: &buffer, glyphs: glyphs)
        let hints = ["←→ a doctor or any", "←→ fills the minutes", "", "←→", "T, T+1, T+1W, 12/3", "←→"]
        for (index, label) in FindSlotForm.fieldNames.enumerated() {
            field(
                label: label, value: form.shown(index), focused: form.field == index, x: inside.x, y: inside.y + index,
                width: inside.width - 24, labelWidth: 14, into: &buffer)
            buffer.put(fitting: hints[index], x: inside.x + inside.width - 23, y: inside.y + index, width: 23, style: .muted)
        }
        var y = inside.y + 7
        if let error = form.error {
            buffer.put(fitting: error, x: inside.x, y: y, width: inside.width, style: .error)
        } else if form.results == nil {
            buffer.put(fitting: "Enter finds the first free slots.", x: inside.x, y: y, width: inside.width, style: .muted)
        }
        for (index, slot) in results.prefix(10).enumerated() {
            let office = model.schedule.data.offices.first { $0.id == slot.office }
            let room = office?.examRooms.first { $0.index == slot.room }?.name ?? "Room \(slot.room)"
            let line =
                ConsoleView.dayTitle(slot.start, today: model.now) + " " + slot.start.clock + " · "
                + model.schedule.data.doctorName(slot.doctor) + " · " + (office?.name ?? "") + " · " + room
            buffer.put(
                fitting: (form.field == 6 && index == form.selected ? "> " : "  ") + line, x: inside.x, y: y, width: inside.width,
                style: form.field == 6 && index == form.selected ? .cursor : .normal)
            y += 1
        }
        buffer.put(
            fitting: "Tab next  ←→ choose  Enter find" + (results.isEmpty ? "" : " / book the slot") + "  Esc close", x: inside.x,
            y: inside.y + inside.height - 1, width: inside.width, style: .muted)
    }

    static func confirmList(_ list: ConfirmList, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let rows = list.rows
        let inside = centered(
            width: 116, height: min(buffer.height - 2, 26),
            title: "To confirm: \(ConsoleView.dayTitle(list.day, today: list.day.adding(days: -1)))", into: &buffer, glyphs: glyphs)
        buffer.put(fitting: list.summary, x: inside.x, y: inside.y, width: inside.width, style: .header)
        let visible = max(1, inside.height - 3)
        if rows.isEmpty {
            buffer.put(fitting: "Every visit is confirmed and checked.", x: inside.x, y: inside.y + 2, width: inside.width, style: .muted)
        }
        for (offset, row) in rows.dropFirst(list.top).prefix(visible).enumerated() {
            let index = list.top + offset
            let visit = row.appointment
            let status = AppointmentStatus.named(visit.status).label
            var line =
                (visit.scheduledTime?.clock ?? "").padding(toLength: 9, withPad: " ", startingAt: 0)
                + padded(row.patientName, to: 26) + " " + row.doctorName.padding(toLength: 13, withPad: " ", startingAt: 0)
                + (row.phones.first ?? "no phone").padding(toLength: 16, withPad: " ", startingAt: 0)
                + status.padding(toLength: 14, withPad: " ", startingAt: 0)
            line += row.coverageFlag ?? ""
            if list.cancelling == visit.id { line += "  — x again cancels" }
            let style: StyleName = index == list.selected ? .cursor : row.coverageFlag != nil ? .warning : .normal
            buffer.put(fitting: line, x: inside.x, y: inside.y + 1 + offset, width: inside.width, style: style)
        }
        buffer.put(
            fitting: "y confirmed  m left a message  x cancel  r reschedule  j/k move  Esc close", x: inside.x,
            y: inside.y + inside.height - 1, width: inside.width, style: .muted)
    }

    /// `text` cut or padded to `width` terminal cells (double-width names count twice).
}
