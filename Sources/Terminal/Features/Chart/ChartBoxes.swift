import Console
import DrChronoAPI
import Mirror
import Practice

/// The chart's boxes: a document to attach, a document to read.
extension OverlayView {
    static func document(_ view: DocumentView, model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let inside = centered(
            width: min(buffer.width - 4, 100), height: buffer.height - 4, title: view.reading.title, into: &buffer, glyphs: glyphs)
        let rows = max(1, inside.height - 2)
        for (offset, line) in view.reading.lines.dropFirst(view.top).prefix(rows).enumerated() {
            buffer.put(fitting: line, x: inside.x, y: inside.y + offset, width: inside.width, style: .normal)
        }
        if let saving = view.saving {
            buffer.put(
                fitting: "Save as: \(saving.text)_   in \(model.folders.documents?.path ?? "?")   (Enter saves, Esc back)", x: inside.x,
                y: inside.y + inside.height - 1,
                width: inside.width, style: .input)
        } else {
            let shown =
                "\(min(view.reading.lines.count, view.top + 1))–\(min(view.reading.lines.count, view.top + rows)) of \(view.reading.lines.count)"
            buffer.put(
                fitting: "j/k scroll  s save a copy  any other key closes   \(shown)", x: inside.x, y: inside.y + inside.height - 1,
                width: inside.width, style: .muted)
        }
    }

    static func attach(_ form: AttachForm, inbox: String, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let inside = centered(width: 84, height: 16, title: "Attach to \(form.patientName)'s chart", into: &buffer, glyphs: glyphs)
        // A long path shows its end: the file's name is what the person checks.
        let path = TextColumn.tail(form.path.text, width: inside.width - 14 - 2)
        let values = [
            path, form.description.text, form.date.text,
            "< " + (form.doctor.map(\.displayName) ?? "no doctor") + " >",
        ]
        let hints = ["Tab lists the inbox's scans", "as Insurance card", "T, T-1, 12/3", "←→"]
        for (index, each) in AttachForm.Field.allCases.enumerated() {
            field(
                label: each.title, value: values[index], focused: form.field == each, x: inside.x, y: inside.y + index,
                width: inside.width, labelWidth: 14, into: &buffer)
            // A hint where the value leaves it room, never over the value.
            if values[index].isEmpty || index == 3, 14 + TextColumn.width(of: values[index]) + 2 <= inside.width - 31 {
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
        problems(form.problems, x: inside.x, y: inside.y + 11, width: inside.width, lines: 1, into: &buffer)
        buffer.put(
            fitting: "From the inbox: " + TextColumn.tail(inbox, width: inside.width - 16), x: inside.x, y: inside.y + 12,
            width: inside.width,
            style: .muted)
        buffer.put(
            fitting: "Tab completes the name, next field  ↓↑ move  ←→ doctor  Enter attach  Esc cancel", x: inside.x,
            y: inside.y + inside.height - 1, width: inside.width, style: .muted)
    }
}
