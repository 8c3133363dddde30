import Console
import DrChronoAPI
import Practice

/// The note viewer: the patient, the chart's sections as tabs, then the notes by date
/// beside the chosen note's body — or the chosen section's list.
enum NotesView {
    static func draw(_ model: ConsoleModel, in pane: Rect, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let chart = model.chart
        guard let data = chart.data else {
            let text =
                chart.patientId == nil
                ? "No chart open. Press / to find a patient, then Enter."
                : "This chart is not in the local copy yet; it is being fetched from DrChrono."
            buffer.put(fitting: " " + text, x: 0, y: pane.y + 1, width: pane.width, style: .muted)
            return
        }
        let row = PatientRow(patient: data.patient, next: nil)
        let born =
            data.patient.dateOfBirth.flatMap(LocalDateTime.init).map { "born \($0.month)/\($0.day)/\($0.year)" } ?? "birth date unknown"
        let age = row.age(on: model.now).map { "\(glyphs.dot) \($0) years " } ?? ""
        // Who the chart is: on two lines where one would cut it.
        let header =
            "\(row.name) \(glyphs.dot) \(born) \(age)\(glyphs.dot) chart \(data.patient.chartId.isEmpty ? "(new, on its way to DrChrono)" : data.patient.chartId)"
            + (data.eligibility.map { " \(glyphs.dot) \($0.summary)" } ?? "")
        let headerLines = Array(TextColumn.wrap(header, width: pane.width - 2, hang: 2).prefix(2))
        for (index, line) in headerLines.enumerated() {
            buffer.put(
                fitting: " " + line, x: 0, y: pane.y + index, width: pane.width,
                style: data.eligibility?.isInactive == true ? .warning : .title)
        }
        let tabsY = pane.y + headerLines.count
        drawTabs(chart, y: tabsY, width: pane.width, into: &buffer)
        let top = tabsY + 1
        let height = pane.height - 2 - headerLines.count
        switch chart.section {
        case .notes: drawNotes(chart, data: data, top: top, height: height, width: pane.width, into: &buffer, glyphs: glyphs)
        case .problems:
            table(
                ["Problem", "ICD-10", "Status", "Since"], [40, 10, 12, 12],
                data.problems.map { [$0.name, $0.icdCode, $0.status, $0.dateOnset ?? ""] },
                chart: chart, top: top, height: height, width: pane.width, into: &buffer)
        case .medications:
            table(
                ["Medication", "Dosage", "Frequency", "Status"], [36, 16, 20, 10],
                data.medications.map { [$0.name, $0.dosage, $0.frequency, $0.status] },
                chart: chart, top: top, height: height, width: pane.width, into: &buffer)
        case .allergies:
            table(
                ["Allergy", "Reaction", "Status"], [36, 30, 10], data.allergies.map { [$0.description, $0.reaction, $0.status] },
                chart: chart, top: top, height: height, width: pane.width, into: &buffer)
        case .labs:
            table(
                ["Date", "Test", "Result", "Range", "Flag", "Status", "Signed off"], [10, 28, 14, 12, 8, 11, 10],
                data.labs.map(ChartModel.labRow),
                chart: chart, top: top, height: height, width: pane.width,
                flagged: Set(data.labs.indices.filter { data.labs[$0].isAbnormal }),
                into: &buffer)
        case .vitals:
            table(
                ["Date", "BP", "Pulse", "Temp", "Resp", "SpO2", "Weight", "Height", "BMI", "Pain"], [10, 12, 5, 7, 4, 5, 9, 10, 5, 4],
                data.vitals.map(ChartModel.vitalsRow), chart: chart, top: top, height: height, width: pane.width,
                flagged: Set(data.vitals.indices.filter { data.vitals[$0].bloodPressureHigh }), into: &buffer)
        case .documents:
            table(
                ["Document", "Date", "Tags"], [44, 12, 30],
                data.documents.map {
                    [
                        $0.description, $0.date.flatMap(LocalDateTime.init).map(\.usDate) ?? $0.date ?? "",
                        $0.metatags.joined(separator: ", "),
                    ]
                },
                chart: chart, top: top, height: height, width: pane.width, into: &buffer)
            if !data.documents.isEmpty {
                buffer.put(
                    fitting: " Enter reads the chosen document (PDF text; images by size and type); it is fetched from DrChrono.", x: 0,
                    y: top + height, width: pane.width, style: .muted)
            }
        }
        if let finding = chart.finding {
            buffer.put(fitting: " Find in note: \(finding.text)_", x: 0, y: pane.bottom - 1, width: pane.width, style: .input)
        }
    }

    /// The chart's sections as tabs: short ones where the full ones would not fit, and
    /// in a window narrower still, from the chosen one's neighbours on.
    static func drawTabs(_ chart: ChartModel, y: Int, width: Int, into buffer: inout CellBuffer) {
        func titles(compact: Bool) -> [String] { ChartModel.Section.allCases.map { " \(chart.tabTitle($0, compact: compact)) " } }
        func used(_ list: ArraySlice<String>) -> Int { list.reduce(0) { $0 + TextColumn.width(of: $1) + 1 } }
        var shown = titles(compact: false)[...]
        if used(shown) > width - 1 { shown = titles(compact: true)[...] }
        while used(shown) > width - 1, shown.startIndex < chart.section.rawValue { shown = shown.dropFirst() }
        var x = 1
        for (index, title) in zip(shown.indices, shown) {
            x += buffer.put(title, x: x, y: y, style: index == chart.section.rawValue ? .tabActive : .tab, limit: max(0, width - x)) + 1
        }
    }

    static func drawNotes(
        _ chart: ChartModel, data: ChartData, top: Int, height: Int, width: Int, into buffer: inout CellBuffer, glyphs: Glyphs
    ) {
        let listWidth = ConsoleLayout.noteListWidth
        if data.notes.isEmpty {
            buffer.put(fitting: " No clinical notes for this patient.", x: 0, y: top + 1, width: width, style: .muted)
            return
        }
        for row in 0..<max(0, height) {
            let index = chart.top + row
            let y = top + row
            buffer.put(glyphs.vertical, x: listWidth, y: y, style: .border)
            guard index < data.notes.count else { continue }
            let note = data.notes[index]
            let date = data.visit(of: note).map(\.usDate) ?? "no date"
            let text = " \(date) " + (note.isLocked ? "locked" : "draft")
            buffer.put(fitting: text, x: 0, y: y, width: listWidth, style: index == chart.selected ? .cursor : .normal)
        }
        let lines = chart.bodyLines
        let bodyX = listWidth + 2
        for row in 0..<max(0, height) {
            let index = chart.scroll + row
            guard index < lines.count else { break }
            let isMatch = chart.matchLines.contains(index)
            let style: StyleName = index == 0 ? .header : isMatch ? .match : .normal
            buffer.put(fitting: lines[index], x: bodyX, y: top + row, width: width - bodyX, style: style)
        }
        if lines.count > height {
            let shown = "\(chart.scroll + 1)–\(min(lines.count, chart.scroll + height)) of \(lines.count)"
            buffer.put(shown, x: width - shown.count - 1, y: top + height - 1, style: .muted)
        }
    }

    static func table(
        _ titles: [String], _ widths: [Int], _ rows: [[String]], chart: ChartModel, top: Int, height: Int, width: Int,
        flagged: Set<Int> = [], into buffer: inout CellBuffer
    ) {
        let widths = TextColumn.fit(widths, into: width - 1)
        buffer.fill(x: 0, y: top, width: width, height: 1, style: .header)
        var x = 1
        for (title, w) in zip(titles, widths) { buffer.put(title, x: x, y: top, style: .header, limit: w); x += w + 1 }
        if rows.isEmpty { buffer.put(fitting: " None recorded.", x: 0, y: top + 1, width: width, style: .muted); return }
        for row in 0..<max(0, height - 1) {
            let index = chart.top + row
            guard index < rows.count else { break }
            let style: StyleName = index == chart.selected ? .cursor : flagged.contains(index) ? .warning : .normal
            buffer.fill(x: 0, y: top + 1 + row, width: width, height: 1, style: style)
            var x = 1
            for (value, w) in zip(rows[index], widths) {
                buffer.put(fitting: value, x: x, y: top + 1 + row, width: w, style: style); x += w + 1
            }
        }
    }
}
