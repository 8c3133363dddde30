import Console
import DrChronoAPI

/// Patient search: the query line, a banner when picking for a booking, the results.
enum SearchView {
    static func draw(_ model: ConsoleModel, in pane: Rect, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let search = model.search
        var x = buffer.put(" Search: ", x: 0, y: pane.y, style: .title)
        let fieldWidth = min(50, pane.width - x - 20)
        buffer.fill(x: x, y: pane.y, width: fieldWidth, height: 1, style: .input)
        buffer.put(search.query.text + (search.editing ? "_" : ""), x: x, y: pane.y, style: .input, limit: fieldWidth)
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
        let columns: [(String, Int)] = [
            ("Name", 28), ("Chart", 10), ("Born", 11), ("Age", 4), ("Phone", 15), ("Next visit", 20), ("Docs", 5),
        ]
        let headerY = pane.y + 2
        buffer.fill(x: 0, y: headerY, width: pane.width, height: 1, style: .header)
        var cx = 1
        for (title, width) in columns {
            buffer.put(title, x: cx, y: headerY, style: .header, limit: width)
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
            let born = result.patient.dateOfBirth.flatMap(LocalDateTime.init).map { "\($0.month)/\($0.day)/\($0.year)" } ?? ""
            let next = result.next.map { "\($0.month)/\($0.day)/\($0.year) \($0.clock)" } ?? ""
            let values = [
                result.name, result.patient.chartId, born, result.age(on: model.now).map(String.init) ?? "", result.phone, next,
                result.documents == 0 ? "" : "\(result.documents)",
            ]
            let style: StyleName = index == search.selected ? (search.editing ? .selected : .cursor) : .normal
            buffer.fill(x: 0, y: y, width: pane.width, height: 1, style: style)
            var vx = 1
            for ((_, width), value) in zip(columns, values) {
                buffer.put(fitting: value, x: vx, y: y, width: width, style: style)
                vx += width + 1
            }
        }
    }
}
