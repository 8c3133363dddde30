import Console
import DrChronoAPI
import Mirror
import Practice

/// The front desk's boxes: a payment, find-slot, tomorrow's confirmations, the day's
/// payments and totals.
extension OverlayView {
    static func collections(_ list: CollectionsList, into buffer: inout CellBuffer, glyphs: Glyphs) {
        readingList(
            list.lines, top: list.top, title: "Payments taken \(list.day.month)/\(list.day.day)/\(list.day.year), per desk", width: 96,
            into: &buffer, glyphs: glyphs)
    }

    static func dayTotals(_ list: DayTotalsList, into buffer: inout CellBuffer, glyphs: Glyphs) {
        readingList(
            list.lines(width: min(112, buffer.width - 2) - 4), top: list.top,
            title: "Day totals \(list.day.month)/\(list.day.day)/\(list.day.year), per office and doctor",
            width: 112, into: &buffer, glyphs: glyphs)
    }

    static func payment(_ form: PaymentForm, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let inside = centered(width: 70, height: 12, title: form.title, into: &buffer, glyphs: glyphs)
        let values = [
            "< " + (form.collectNow ? "take it now" : "not today: check in without it") + " >",
            form.amount.text,
            "< " + PaymentForm.methods[form.method].label + " >",
            "< " + PaymentForm.kinds[form.kind].label + " >",
        ]
        var y = inside.y
        for (index, each) in PaymentForm.Field.allCases.enumerated() where form.fields.contains(each) {
            if index > 0 && form.checkIn && !form.collectNow { continue }
            field(
                label: each.title, value: values[index], focused: form.field == each, x: inside.x, y: y, width: inside.width, into: &buffer)
            y += 1
        }
        problems(form.problems, x: inside.x, y: inside.y + 5, width: inside.width, into: &buffer)
        let enter = form.checkIn ? (form.collectNow ? "check in and take it" : "check in") : "take it"
        buffer.put(
            fitting: "Tab next  ←→ choose  Enter \(enter)  Esc cancel", x: inside.x, y: inside.y + inside.height - 1, width: inside.width,
            style: .muted)
    }

    static func findSlot(_ form: FindSlotForm, model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let results = form.results ?? []
        let inside = centered(
            width: 84, height: min(buffer.height - 2, 12 + max(1, min(results.count, 10))),
            title: "Next free slot" + (form.patient.map { " for \($0.name)" } ?? ""), into: &buffer, glyphs: glyphs)
        let hints = ["←→ a doctor or any", "←→ fills the minutes", "", "←→", "T, T+1, T+1W, 12/3", "←→"]
        for (index, criterion) in FindSlotForm.Field.criteria.enumerated() {
            field(
                label: criterion.title, value: form.shown(criterion), focused: form.field == criterion, x: inside.x, y: inside.y + index,
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
                ConsoleView.dayTitle(slot.start, today: model.now, short: inside.width < 100) + " " + slot.start.clock + " · "
                + model.schedule.data.doctorName(slot.doctor) + " · " + (office?.name ?? "") + " · " + room
            buffer.put(
                fitting: (form.field == .results && index == form.selected ? "> " : "  ") + line, x: inside.x, y: y, width: inside.width,
                style: form.field == .results && index == form.selected ? .cursor : .normal)
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
        // A window too narrow for a visit on one line gives it two: who and how to reach
        // them, then where the visit stands.
        let lines = inside.width >= 100 ? 1 : 2
        let visible = max(1, (inside.height - 3) / lines)
        if rows.isEmpty {
            buffer.put(fitting: "Every visit is confirmed and checked.", x: inside.x, y: inside.y + 2, width: inside.width, style: .muted)
        }
        let top = max(0, min(list.top, list.selected), list.selected - visible + 1)
        for (offset, row) in rows.dropFirst(top).prefix(visible).enumerated() {
            let index = top + offset
            let visit = row.appointment
            // Still to confirm with a message left: when it was left, in the status's place.
            let status =
                row.toConfirm
                ? visit.lastMessageLeftAt.map { "msg \($0)" } ?? AppointmentStatus.named(visit.status).label
                : AppointmentStatus.named(visit.status).label
            var standing = [row.coverageFlag ?? ""]
            if list.cancelling == visit.id { standing.append("— x again cancels") }
            // Each column by display width, cut with an ellipsis, two cells between.
            let name = lines == 1 ? 24 : max(12, inside.width - 8 - 13 - 14 - 6)
            var who = [
                (visit.scheduledTime?.clock ?? "", 8), (row.patientName, name), (row.doctorName, 13), (row.phones.first ?? "no phone", 14),
            ]
            if lines == 1 { who.append((status, 15)) }
            var text = [who.map { TerminalText.column($0, width: $1) }.joined(separator: "  ")]
            if lines == 1 {
                text[0] += "  " + standing.joined(separator: "  ")
            } else {
                text.append(String(repeating: " ", count: 10) + ([status] + standing).filter { !$0.isEmpty }.joined(separator: " · "))
            }
            let style: StyleName = index == list.selected ? .cursor : row.coverageFlag != nil ? .warning : .normal
            for (line, words) in text.enumerated() {
                buffer.put(fitting: words, x: inside.x, y: inside.y + 1 + offset * lines + line, width: inside.width, style: style)
            }
        }
        buffer.put(
            fitting: "y confirmed  m left a message  x cancel  r reschedule  j/k move  Esc close", x: inside.x,
            y: inside.y + inside.height - 1, width: inside.width, style: .muted)
    }
}
