import Console
import DrChronoAPI
import Practice

/// Patient search: the query line, a banner when picking for a booking, the results.
enum SearchView {
    static func draw(_ model: ConsoleModel, in pane: Rect, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let search = model.search
        var x = buffer.put(" Search: ", x: 0, y: pane.y, style: .title)
        let fieldWidth = max(20, min(50, pane.width - x - 36))
        buffer.fill(x: x, y: pane.y, width: fieldWidth, height: 1, style: .input)
        buffer.put(
            TextColumn.tail(search.query.text + (search.editing ? "_" : ""), width: fieldWidth), x: x, y: pane.y, style: .input,
            limit: fieldWidth)
        x += fieldWidth + 2
        let count =
            search.query.text.isEmpty
            ? "" : search.results.isEmpty ? "no match" : search.results.count == 50 ? "first 50" : "\(search.results.count) found"
        x += buffer.put(count, x: x, y: pane.y, style: .muted)
        // Whether keys are text or commands, said where the person looks.
        let mode = search.editing ? "typing — Esc for keys" : "/ to type a name"
        buffer.put(fitting: mode, x: x + (count.isEmpty ? 0 : 2), y: pane.y, width: max(0, pane.width - x - 2), style: .muted)

        if let slot = search.pickingFor {
            buffer.put(
                fitting:
                    " Booking \(slot.column.title) at \(slot.time.clock) on \(slot.time.month)/\(slot.time.day): pick the patient and press Enter (Esc to stop)",
                x: 0, y: pane.y + 1, width: pane.width, style: .warning)
        }
        let columns = Column.fitting(pane.width)
        let headerY = pane.y + 2
        buffer.fill(x: 0, y: headerY, width: pane.width, height: 1, style: .header)
        var cx = 1
        for (column, width) in columns {
            buffer.put(column.title, x: cx, y: headerY, style: .header, limit: width)
            cx += width + 1
        }
        if search.query.text.isEmpty {
            let lines = [
                "Type a name (first or last name first), a chart id, a birth date (1990-05-17 or 5/17/1990) or a phone number.",
                "Accents and capitals do not matter: \"lopez\" finds López.",
            ]
            for (index, line) in lines.enumerated() {
                buffer.put(fitting: " " + line, x: 0, y: headerY + 2 + index, width: pane.width, style: .muted)
            }
            return
        }
        for row in 0..<max(0, pane.height - 4) {
            let index = search.top + row
            guard index < search.results.count else { break }
            let result = search.results[index]
            let y = headerY + 1 + row
            let style: StyleName = index == search.selected ? (search.editing ? .selected : .cursor) : .normal
            buffer.fill(x: 0, y: y, width: pane.width, height: 1, style: style)
            var vx = 1
            for (column, width) in columns {
                buffer.put(fitting: column.value(result, now: model.now, width: width), x: vx, y: y, width: width, style: style)
                vx += width + 1
            }
        }
    }
}

extension SearchView {
    /// A column of the results. A narrow window drops the age first (the birth date says
    /// it), then the next visit's year, then the chart id, so the name keeps room to be read.
    enum Column: CaseIterable {
        case name, chart, born, age, phone, nextVisit, documents

        var title: String {
            switch self {
            case .name: "Name"
            case .chart: "Chart"
            case .born: "Born"
            case .age: "Age"
            case .phone: "Phone"
            case .nextVisit: "Next visit"
            case .documents: "Docs"
            }
        }

        /// The columns and their widths for a pane `width` cells wide: the name takes
        /// what the others leave, 20 to 40 cells.
        static func fitting(_ width: Int) -> [(Column, Int)] {
            var widths: [(Column, Int)] = [(.chart, 10), (.born, 11), (.age, 4), (.phone, 15), (.nextVisit, 20), (.documents, 5)]
            func room() -> Int { width - 2 - widths.reduce(0) { $0 + $1.1 + 1 } - 1 }
            if room() < 24 { widths.removeAll { $0.0 == .age } }
            if room() < 24, let index = widths.firstIndex(where: { $0.0 == .nextVisit }) { widths[index].1 = 13 }
            if room() < 20 { widths.removeAll { $0.0 == .chart } }
            return [(.name, min(40, max(12, room())))] + widths
        }

        func value(_ result: PatientRow, now: LocalDateTime, width: Int) -> String {
            switch self {
            case .name: result.name
            case .chart: result.patient.chartId
            case .born: result.patient.dateOfBirth.flatMap(LocalDateTime.init)?.usDate ?? ""
            case .age: result.age(on: now).map(String.init) ?? ""
            case .phone: result.phone
            case .nextVisit:
                result.next.map { width >= 20 ? "\($0.usDate) \($0.clock)" : "\($0.month)/\($0.day) \($0.clock)" } ?? ""
            case .documents: result.documents == 0 ? "" : "\(result.documents)"
            }
        }
    }
}
