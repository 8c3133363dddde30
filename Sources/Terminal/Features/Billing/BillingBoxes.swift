import Console
import DrChronoAPI
import Mirror
import Practice

/// The biller's boxes: the charge form and its diagnosis lookup, which line item, a
/// billing profile, a claim's status and note, a void to confirm.
extension OverlayView {
    static func pickLineItem(_ pick: LineItemPick, into buffer: inout CellBuffer, glyphs: Glyphs) {
        picker(
            title: (pick.purpose == .fix ? "Correct" : "Void") + " which line item for \(pick.patientName)?", width: 70,
            lines: pick.items.map { item in
                TextColumn.set(item.code, width: 8) + " " + TextColumn.right(BillingModel.money(item.priceCents), width: 11) + "  "
                    + item.diagnosisPointers.joined(separator: ", ")
            }, selection: pick.selection, hint: "j/k choose  Enter \(pick.purpose == .fix ? "correct" : "void")  Esc cancel",
            into: &buffer, glyphs: glyphs)
    }

    static func profilePicker(name: String, selection: Int, model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs) {
        picker(
            title: "Billing profile for \(name)", width: 84,
            lines: model.billing.profiles.map { profile in
                TextColumn.set(profile.name, width: 25) + " " + profile.codes.joined(separator: " ") + " · "
                    + profile.diagnoses.joined(separator: " ") + " · "
                    + BillingModel.money(profile.codes.reduce(0) { $0 + (model.billing.prices[$1] ?? 0) })
            }, selection: selection, hint: "j/k choose  Enter add its charges  Esc cancel", into: &buffer, glyphs: glyphs)
    }

    static func billingStatusPicker(name: String, selection: Int, into buffer: inout CellBuffer, glyphs: Glyphs) {
        picker(
            title: "Billing status for \(name)", width: 56, lines: BillingModel.claimStatuses, selection: selection,
            hint: "j/k choose  Enter set  Esc cancel", into: &buffer, glyphs: glyphs)
    }

    static func claimNote(name: String, text: TextField, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let inside = centered(width: 80, height: 9, title: "Note on \(name)'s claim", into: &buffer, glyphs: glyphs)
        // The note wraps as it is typed; past what the box holds, its last lines show.
        let lines = TextColumn.wrap(text.text + "_", width: inside.width).suffix(max(1, inside.height - 2))
        for (row, line) in lines.enumerated() {
            buffer.put(fitting: line, x: inside.x, y: inside.y + row, width: inside.width, style: .input)
        }
        buffer.put(
            fitting: "Enter write it  Esc cancel", x: inside.x, y: inside.y + inside.height - 1, width: inside.width, style: .muted)
    }

    static func confirmVoid(_ item: LineItem, name: String, model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let inside = centered(width: 66, height: 5, title: "Void line item", into: &buffer, glyphs: glyphs)
        buffer.put(
            fitting: "Void \(item.code) (\(BillingModel.money(item.priceCents))) for \(name)?", x: inside.x, y: inside.y,
            width: inside.width, style: .normal)
        buffer.put(
            fitting: "\(key(.confirm, model)) void it  \(key(.decline, model)) keep it", x: inside.x, y: inside.y + 2,
            width: inside.width, style: .muted)
    }

    static func charge(_ form: ChargeForm, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let inside = centered(
            width: 84, height: 20, title: (form.fixing == nil ? "Line item for " : "Correct the line item for ") + form.patientName,
            into: &buffer,
            glyphs: glyphs)
        let values = [
            form.code.text, "< " + (ChargeForm.typeNames[form.procedureType] ?? form.procedureType) + " >", form.modifiers.text,
            form.quantity.text, form.price.text, form.diagnoses.text,
        ]
        let hints = [
            form.codeDescription ?? "99213, J3420 …", "CPT, HCPCS or custom", "25, LT (comma-separated)", "1",
            form.priceFromSchedule ? "from the fee schedule" : "dollars, as 125.00", "I10, or words: hypertension",
        ]
        let hintWidth = 33
        for (index, each) in ChargeForm.Field.allCases.enumerated() {
            field(
                label: each.title, value: values[index], focused: form.field == each, x: inside.x, y: inside.y + index,
                width: inside.width - hintWidth - 1, into: &buffer)
            buffer.put(
                fitting: hints[index], x: inside.x + inside.width - hintWidth, y: inside.y + index, width: hintWidth, style: .muted)
        }
        var y = inside.y + 7
        y = diagnosisLookup(form, x: inside.x, y: y, width: inside.width, into: &buffer)
        problems(form.problems, x: inside.x, y: y + 1, width: inside.width, into: &buffer)
        let keys =
            form.lookup.isListing && form.lookup.text == form.diagnoses.text
            ? "↑↓ choose a code  Enter put it in  Esc hide the codes"
            : "Tab next field  ←→ type  Enter \(form.fixing == nil ? "add" : "correct")  Esc cancel"
        buffer.put(
            fitting: keys, x: inside.x,
            y: inside.y + inside.height - 1, width: inside.width,
            style: .muted)
    }

    /// Under the form: the codes the diagnosis words describe (the chosen one marked), or
    /// the codes typed with their descriptions. Answers the next free row.
    static func diagnosisLookup(_ form: ChargeForm, x: Int, y: Int, width: Int, into buffer: inout CellBuffer) -> Int {
        let lookup = form.lookup
        guard lookup.text == form.diagnoses.text else { return y }
        var y = y
        if lookup.isListing {
            buffer.put(
                fitting: "Codes for \"\(DiagnosisLookup.words(in: lookup.text) ?? "")\" (\(lookup.edition))", x: x, y: y, width: width,
                style: .header)
            y += 1
            for (index, code) in lookup.matches.prefix(7).enumerated() {
                let chosen = index == lookup.selection
                buffer.put(
                    fitting: (chosen ? "> " : "  ") + TextColumn.set(code.code, width: 8) + " " + code.description, x: x,
                    y: y,
                    width: width, style: chosen ? .cursor : .normal)
                y += 1
            }
            return y
        }
        if let words = DiagnosisLookup.words(in: lookup.text) {
            buffer.put(fitting: "No ICD-10-CM code has every word of \"\(words)\".", x: x, y: y, width: width, style: .warning)
            y += 1
        }
        for typed in lookup.typed.prefix(4) {
            let words = typed.known?.description ?? "not a billable code in \(lookup.edition.isEmpty ? "ICD-10-CM" : lookup.edition)"
            buffer.put(
                fitting: "  " + TextColumn.set(typed.code, width: 8) + " " + words, x: x, y: y, width: width,
                style: typed.known == nil ? .warning : .muted)
            y += 1
        }
        return y
    }
}
