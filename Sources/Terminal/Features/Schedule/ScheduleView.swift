import Console
import DrChronoAPI

/// The schedule: a title row, a row of column titles, a row per slot, and a line about
/// what the cursor is on.
enum ScheduleView {
    static func draw(_ model: ConsoleModel, in pane: Rect, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let schedule = model.schedule
        let data = schedule.data
        // Title, and the mode banner when moving or booking.
        let span =
            schedule.isWeek
            ? "week of \(schedule.weekStart.month)/\(schedule.weekStart.day) \(glyphs.dot) \(data.doctorName(schedule.weekDoctor))"
            : "day \(glyphs.dot) " + (schedule.columnsBy == .doctors ? "by doctor" : "by exam room")
        buffer.put(
            fitting: " " + ConsoleView.dayTitle(schedule.day, today: model.now) + " \(glyphs.dot) " + span, x: 0, y: pane.y,
            width: pane.width, style: .title)
        if let moving = schedule.moving {
            banner("Moving \(data.patientName(moving)) — Enter on the new slot, Esc to stop", y: pane.y, into: &buffer)
        } else if let patient = schedule.bookingFor {
            banner("Booking \(patient.name) — Enter on an empty slot, Esc to stop", y: pane.y, into: &buffer)
        }

        let (visible, columnWidth) = ConsoleLayout.scheduleColumns(width: pane.width, count: schedule.columns.count)
        let shown = Array(schedule.columns.indices.dropFirst(schedule.left).prefix(visible))
        let headerY = pane.y + 1
        buffer.fill(x: 0, y: headerY, width: pane.width, height: 1, style: .header)
        for (offset, index) in shown.enumerated() {
            let x = ConsoleLayout.gutter + offset * columnWidth
            buffer.put(fitting: schedule.columns[index].title, x: x + 1, y: headerY, width: columnWidth - 1, style: .header)
        }
        if schedule.columns.isEmpty {
            buffer.put(
                fitting: " No doctors in the local copy yet: it fills in as chronoterm syncs (or run chronoterm sync).", x: 0,
                y: headerY + 1, width: pane.width, style: .muted)
        }
        if schedule.left > 0 { buffer.put("<", x: ConsoleLayout.gutter - 1, y: headerY, style: .header) }
        if schedule.left + visible < schedule.columns.count { buffer.put(">", x: pane.width - 1, y: headerY, style: .header) }

        let detailRows = ConsoleLayout.scheduleDetailRows(width: pane.width)
        let rows = max(0, pane.height - 2 - detailRows)
        for row in 0..<rows {
            let slot = schedule.top + row
            guard slot < schedule.slotCount else { break }
            let y = headerY + 1 + row
            let minute = schedule.firstMinute + slot * schedule.slotMinutes
            let time = LocalDateTime(year: 2000, month: 1, day: 1, hour: minute / 60, minute: minute % 60)
            let isCursorRow = slot == schedule.slot
            if minute % 30 == 0 || isCursorRow {
                buffer.put(
                    fitting: time.clock.count < 8 ? " " + time.clock : time.clock, x: 0, y: y, width: ConsoleLayout.gutter - 1,
                    style: isCursorRow ? .selected : .muted)
            }
            for (offset, index) in shown.enumerated() {
                let x = ConsoleLayout.gutter + offset * columnWidth
                buffer.put(glyphs.vertical, x: x, y: y, style: .border)
                drawCell(
                    schedule.cell(column: index, slot: slot), schedule: schedule, x: x + 1, y: y, width: columnWidth - 1, into: &buffer,
                    glyphs: glyphs)
                if isCursorRow && index == schedule.column { buffer.restyle(x: x + 1, y: y, width: columnWidth - 1, style: .cursor) }
            }
        }
        detailLine(model, y: pane.bottom - detailRows, rows: detailRows, width: pane.width, into: &buffer, glyphs: glyphs)
    }

    static func banner(_ text: String, y: Int, into buffer: inout CellBuffer) {
        let width = min(buffer.width / 2, TerminalText.width(of: text) + 2)
        buffer.put(fitting: " " + text, x: buffer.width - width, y: y, width: width, style: .warning)
    }

    static func drawCell(
        _ cell: ScheduleCell, schedule: ScheduleModel, x: Int, y: Int, width: Int, into buffer: inout CellBuffer, glyphs: Glyphs
    ) {
        let data = schedule.data
        switch cell {
        case .empty:
            buffer.fill(x: x, y: y, width: width, height: 1, style: .normal)
        case .start(let index, let others):
            let appointment = data.appointments[index]
            if appointment.isBreak {
                buffer.fill(x: x, y: y, width: width, height: 1, style: .breakTime, text: glyphs.shade)
                buffer.put(
                    fitting: " " + data.patientName(appointment) + " ", x: x, y: y,
                    width: min(width, TerminalText.width(of: data.patientName(appointment)) + 2), style: .breakTime)
                return
            }
            let status = AppointmentStatus.named(appointment.status)
            var text = "\(status.letter) "
            if let mark = data.marks[appointment.id] { text += mark.needsAttention ? "! " : "* " }
            text += data.patientName(appointment)
            if others > 0 { text += " +\(others)" }
            let style: StyleName = data.marks[appointment.id]?.needsAttention == true ? .conflict : StyleName(statusStyle: status.style)
            buffer.put(fitting: text, x: x, y: y, width: width, style: style)
        case .continuation(let index):
            let appointment = data.appointments[index]
            if appointment.isBreak {
                buffer.fill(x: x, y: y, width: width, height: 1, style: .breakTime, text: glyphs.shade)
                return
            }
            let status = AppointmentStatus.named(appointment.status)
            buffer.put(
                fitting: glyphs.continuation + " " + appointment.reason, x: x, y: y, width: width,
                style: StyleName(statusStyle: status.style))
        }
    }

    /// What is under the cursor, on `rows` lines from `y`: wrapped at a word, the last cut.
    static func detailLine(_ model: ConsoleModel, y: Int, rows: Int, width: Int, into buffer: inout CellBuffer, glyphs: Glyphs) {
        func put(_ text: String, style: StyleName) {
            var lines = TextColumn.wrap(text, width: width - 2, hang: 2)
            if lines.count > rows {
                lines =
                    Array(lines.prefix(rows - 1)) + [
                        "  " + lines.dropFirst(rows - 1).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                    ]
            }
            for (index, line) in lines.enumerated() { buffer.put(fitting: " " + line, x: 0, y: y + index, width: width, style: style) }
        }
        let schedule = model.schedule
        let data = schedule.data
        let dot = " \(glyphs.dot) "
        guard let appointment = schedule.selectedAppointment else {
            if let slot = schedule.selectedSlot {
                let who = slot.column.doctor.map { data.doctorName($0) } ?? slot.column.title
                let book = model.keyMap.keys(for: .book, in: .schedule).first.map { " — \($0) to book" } ?? ""
                put("Free\(dot)\(slot.time.clock)\(dot)\(who)\(book)", style: .muted)
            }
            return
        }
        guard let start = appointment.scheduledTime else { return }
        let end = start.adding(minutes: appointment.duration)
        var parts = ["\(start.clock)–\(end.clock)", data.patientName(appointment)]
        if !appointment.isBreak {
            parts.append(AppointmentStatus.named(appointment.status).label)
            parts.append(data.roomName(office: appointment.office, room: appointment.examRoom))
            parts.append(data.doctorName(appointment.doctor))
            if !appointment.reason.isEmpty { parts.append(appointment.reason) }
            if let message = appointment.lastMessageLeft { parts.append(message) }
            if let patient = appointment.patient, let copay = data.copays[patient] {
                let paid = data.paid[appointment.id] ?? 0
                parts.append("copay \(BillingModel.money(copay)) " + (paid >= copay ? "paid" : paid > 0 ? "part paid" : "due"))
            }
            if let check = data.eligibility[appointment.id] {
                parts.append(check.summary)
            } else if let day = appointment.scheduledTime, day.startOfDay >= model.now.startOfDay,
                day.startOfDay <= model.now.startOfDay.adding(days: 1)
            {
                parts.append("no eligibility check")
            }
        }
        var style = StyleName.normal
        if let mark = data.marks[appointment.id] {
            if mark.needsAttention {
                parts.append("DrChrono refused: " + (mark.message ?? mark.state.rawValue) + " (chronoterm queue)")
                style = .conflict
            } else {
                parts.append("waiting to reach DrChrono (\(mark.state.rawValue))")
                style = .pending
            }
        }
        put(parts.joined(separator: dot), style: style)
    }
}
