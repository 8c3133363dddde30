import Console
import DrChronoAPI
import Mirror
import Practice

/// The patient form: registering a patient or changing their record.
extension OverlayView {
    /// The patient form: a field a line, the payer the mirror suggests beside the payer,
    /// what to type beside an empty field.
    static func patient(_ form: PatientForm, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let fields = PatientForm.Field.allCases
        let shownProblems = min(form.problems.count, 4)
        let inside = centered(
            width: 84, height: fields.count + shownProblems + 4, title: form.title, into: &buffer, glyphs: glyphs)
        let labelWidth = 15
        let valueWidth = min(34, inside.width - labelWidth - 1)
        for (index, field) in fields.enumerated() where index < inside.height - 2 {
            let y = inside.y + index
            let focused = form.focus == field
            buffer.put(
                fitting: (focused ? "> " : "  ") + field.label, x: inside.x, y: y, width: labelWidth, style: focused ? .title : .normal)
            let value = form.shown(field)
            buffer.put(
                fitting: value + (focused && !field.isChoiceField ? "_" : ""), x: inside.x + labelWidth, y: y, width: valueWidth,
                style: focused ? .input : .normal)
            let aside: String
            if let payer = form.suggestion(field) {
                aside = "→ " + payer.name
            } else {
                aside = value.isEmpty || focused ? field.hint : ""
            }
            let asideX = inside.x + labelWidth + valueWidth + 1
            buffer.put(fitting: aside, x: asideX, y: y, width: inside.x + inside.width - asideX, style: .muted)
        }
        problems(
            form.problems, x: inside.x, y: inside.y + fields.count + 1, width: inside.width,
            lines: max(1, inside.height - fields.count - 2), into: &buffer)
        buffer.put(
            fitting: "Tab next  ←→ choose  → payer  Enter \(form.purpose == .register ? "register" : "save")  Esc cancel"
                + (form.duplicateOf != nil ? "  Ctrl-O open that chart" : ""), x: inside.x, y: inside.y + inside.height - 1,
            width: inside.width, style: .muted)
    }
}
