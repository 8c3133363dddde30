import Console
import DrChronoAPI
import Practice

/// Boxes over the pane: help, the command line, prompts, pickers and forms.
enum OverlayView {
    static func draw(_ overlay: Overlay, model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs) {
        switch overlay {
        case .help: help(model, into: &buffer, glyphs: glyphs)
        case .command(let prompt): command(prompt, into: &buffer)
        case .goToDate(let text, let error):
            let inside = centered(width: 56, height: 6, title: "Go to date", into: &buffer, glyphs: glyphs)
            field(label: "Date", value: text.text, focused: true, x: inside.x, y: inside.y, width: inside.width, into: &buffer)
            buffer.put(
                fitting: error ?? "T today, T+1 tomorrow, T-1W a week ago, 12/3, 2026-12-03", x: inside.x, y: inside.y + 2,
                width: inside.width, style: error == nil ? .muted : .error)
            buffer.put(fitting: "Enter go  Esc cancel", x: inside.x, y: inside.y + 3, width: inside.width, style: .muted)
        case .statusPicker(let appointment, let selection):
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
            buffer.put(
                fitting: "\(key(.open, model)) or the letter sets it  \(key(.back, model)) cancel", x: inside.x,
                y: inside.y + statuses.count + 1,
                width: inside.width, style: .muted)
        case .confirmCancel(let appointment, let name):
            let inside = centered(width: 60, height: 5, title: "Cancel appointment", into: &buffer, glyphs: glyphs)
            buffer.put(
                fitting: "Cancel \(name) at \(appointment.scheduledTime?.clock ?? "")?", x: inside.x, y: inside.y, width: inside.width,
                style: .normal)
            buffer.put(
                fitting: "\(key(.confirm, model)) cancel it  \(key(.decline, model)) keep it", x: inside.x, y: inside.y + 2,
                width: inside.width,
                style: .muted)
        case .confirmQuit(let queued):
            let inside = centered(width: 66, height: 6, title: "Quit?", into: &buffer, glyphs: glyphs)
            buffer.put(
                fitting: "\(queued) write\(queued == 1 ? " is" : "s are") still queued for DrChrono.", x: inside.x, y: inside.y,
                width: inside.width, style: .warning)
            buffer.put(
                fitting: "They are kept, and sent when chronoterm or chronoterm sync runs next.", x: inside.x, y: inside.y + 1,
                width: inside.width, style: .normal)
            buffer.put(
                fitting: "\(key(.confirm, model)) quit  \(key(.decline, model)) stay", x: inside.x, y: inside.y + 3, width: inside.width,
                style: .muted)
        case .booking(let form): booking(form, model: model, into: &buffer, glyphs: glyphs)
        case .charge(let form): charge(form, into: &buffer, glyphs: glyphs)
        case .patient(let form): patient(form, into: &buffer, glyphs: glyphs)
        case .payment(let form): payment(form, into: &buffer, glyphs: glyphs)
        case .collections(let list):
            readingList(
                list.lines, top: list.top, title: "Payments taken \(list.day.month)/\(list.day.day)/\(list.day.year), per desk", width: 96,
                into: &buffer, glyphs: glyphs)
        case .document(let view):
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
        case .myDay(let list):
            let rows = max(1, buffer.height - 8)
            let first = max(0, list.selected - rows + 1)
            picker(
                title: list.title, width: 112,
                lines: list.rows.isEmpty
                    ? ["No visits today."] : list.rows.dropFirst(first).prefix(rows).map(MyDayList.line),
                selection: list.rows.isEmpty ? -1 : list.selected - first, hint: "j/k choose  Enter open the chart  Esc close",
                into: &buffer, glyphs: glyphs)
        case .dayTotals(let list):
            readingList(
                list.lines, top: list.top, title: "Day totals \(list.day.month)/\(list.day.day)/\(list.day.year), per office and doctor",
                width: 112, into: &buffer, glyphs: glyphs)
        case .confirmList(let list): confirmList(list, into: &buffer, glyphs: glyphs)
        case .findSlot(let form): findSlot(form, model: model, into: &buffer, glyphs: glyphs)
        case .attach(let form): attach(form, inbox: model.folders.inbox?.path ?? "", into: &buffer, glyphs: glyphs)
        case .pickLineItem(let pick):
            picker(
                title: (pick.purpose == .fix ? "Correct" : "Void") + " which line item for \(pick.patientName)?", width: 70,
                lines: pick.items.map { item in
                    item.code.padding(toLength: 8, withPad: " ", startingAt: 0) + BillingModel.money(item.priceCents) + "  "
                        + item.diagnosisPointers.joined(separator: ", ")
                }, selection: pick.selection, hint: "j/k choose  Enter \(pick.purpose == .fix ? "correct" : "void")  Esc cancel",
                into: &buffer, glyphs: glyphs)
        case .profilePicker(_, let name, let selection):
            picker(
                title: "Billing profile for \(name)", width: 84,
                lines: model.billing.profiles.map { profile in
                    profile.name.padding(toLength: 26, withPad: " ", startingAt: 0) + profile.codes.joined(separator: " ") + " · "
                        + profile.diagnoses.joined(separator: " ") + " · "
                        + BillingModel.money(profile.codes.reduce(0) { $0 + (model.billing.prices[$1] ?? 0) })
                }, selection: selection, hint: "j/k choose  Enter add its charges  Esc cancel", into: &buffer, glyphs: glyphs)
        case .billingStatusPicker(_, let name, let selection):
            picker(
                title: "Billing status for \(name)", width: 56, lines: BillingModel.claimStatuses, selection: selection,
                hint: "j/k choose  Enter set  Esc cancel", into: &buffer, glyphs: glyphs)
        case .claimNote(_, let name, let text):
            let inside = centered(width: 80, height: 6, title: "Note on \(name)'s claim", into: &buffer, glyphs: glyphs)
            buffer.put(fitting: text.text + "_", x: inside.x, y: inside.y, width: inside.width, style: .input)
            buffer.put(
                fitting: "Enter write it  Esc cancel", x: inside.x, y: inside.y + inside.height - 1, width: inside.width, style: .muted)
        case .confirmVoid(let item, let name):
            let inside = centered(width: 66, height: 5, title: "Void line item", into: &buffer, glyphs: glyphs)
            buffer.put(
                fitting: "Void \(item.code) (\(BillingModel.money(item.priceCents))) for \(name)?", x: inside.x, y: inside.y,
                width: inside.width, style: .normal)
            buffer.put(
                fitting: "\(key(.confirm, model)) void it  \(key(.decline, model)) keep it", x: inside.x, y: inside.y + 2,
                width: inside.width, style: .muted)
        }
    }

    static func centered(width: Int, height: Int, title: String, into buffer: inout CellBuffer, glyphs: Glyphs) -> Rect {
        let w = min(width, buffer.width - 2)
        let h = min(height, buffer.height - 2)
        return buffer.box(
            Rect(x: (buffer.width - w) / 2, y: max(1, (buffer.height - h) / 2), width: w, height: h), title: title, glyphs: glyphs)
    }

    static func field(
        label: String, value: String, focused: Bool, x: Int, y: Int, width: Int, labelWidth: Int = 12, into buffer: inout CellBuffer
    ) {
        buffer.put(fitting: (focused ? "> " : "  ") + label, x: x, y: y, width: labelWidth, style: focused ? .title : .normal)
        buffer.put(
            fitting: value + (focused ? "_" : ""), x: x + labelWidth, y: y, width: width - labelWidth, style: focused ? .input : .normal)
    }

    /// A box listing choices, the chosen one marked, with the keys at its foot.
    static func picker(
        title: String, width: Int, lines: [String], selection: Int, hint: String, into buffer: inout CellBuffer, glyphs: Glyphs
    ) {
        let inside = centered(width: width, height: lines.count + 3, title: title, into: &buffer, glyphs: glyphs)
        for (index, line) in lines.enumerated() {
            buffer.put(
                fitting: (index == selection ? "> " : "  ") + line, x: inside.x, y: inside.y + index, width: inside.width,
                style: index == selection ? .cursor : .normal)
        }
        buffer.put(fitting: hint, x: inside.x, y: inside.y + inside.height - 1, width: inside.width, style: .muted)
    }

    static func problems(_ problems: [WriteProblem], x: Int, y: Int, width: Int, into buffer: inout CellBuffer) {
        for (index, problem) in problems.prefix(4).enumerated() {
            buffer.put(
                fitting: (problem.severity == .error ? "✗ " : "! ") + problem.message, x: x, y: y + index, width: width,
                style: problem.severity == .error ? .error : .warning)
        }
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
            "< " + (form.doctor.map { "Dr. \($0.firstName) \($0.lastName)" } ?? "no doctor") + " >",
            "< " + (form.room?.name ?? "no room") + " >",
        ]
        for (index, label) in BookingForm.fieldNames.enumerated() {
            var shown = index == 1 ? form.duration.text + (form.field == 1 ? "" : " minutes") : values[index]
            if index == 1, let free = form.freeMinutes { shown += form.field == 1 ? "" : "  (\(free) free until the next visit)" }
            field(
                label: label, value: shown, focused: form.field == index, x: inside.x, y: inside.y + 2 + index, width: inside.width,
                labelWidth: 14, into: &buffer)
        }
        problems(form.problems, x: inside.x, y: inside.y + 8, width: inside.width, into: &buffer)
        buffer.put(
            fitting: "Tab next field  ←→ choose type/doctor/room  Enter book  Esc cancel", x: inside.x, y: inside.y + inside.height - 1,
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
        for (index, label) in ChargeForm.fieldNames.enumerated() {
            field(
                label: label, value: values[index], focused: form.field == index, x: inside.x, y: inside.y + index,
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
                    fitting: (chosen ? "> " : "  ") + code.code.padding(toLength: 9, withPad: " ", startingAt: 0) + code.description, x: x,
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
                fitting: "  " + typed.code.padding(toLength: 9, withPad: " ", startingAt: 0) + words, x: x, y: y, width: width,
                style: typed.known == nil ? .warning : .muted)
            y += 1
        }
        return y
    }

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
        problems(form.problems, x: inside.x, y: inside.y + fields.count + 1, width: inside.width, into: &buffer)
        buffer.put(
            fitting: "Tab next  ←→ choose  → payer  Enter \(form.purpose == .register ? "register" : "save")  Esc cancel"
                + (form.duplicateOf != nil ? "  Ctrl-O open that chart" : ""), x: inside.x, y: inside.y + inside.height - 1,
            width: inside.width, style: .muted)
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
        for (index, label) in PaymentForm.fieldNames.enumerated() where form.checkIn || index > 0 {
            if index > 0 && form.checkIn && !form.collectNow { continue }
            field(label: label, value: values[index], focused: form.field == index, x: inside.x, y: y, width: inside.width, into: &buffer)
            y += 1
        }
        problems(form.problems, x: inside.x, y: inside.y + 5, width: inside.width, into: &buffer)
        let enter = form.checkIn ? (form.collectNow ? "check in and take it" : "check in") : "take it"
        buffer.put(
            fitting: "Tab next  ←→ choose  Enter \(enter)  Esc cancel", x: inside.x, y: inside.y + inside.height - 1, width: inside.width,
            style: .muted)
    }

    /// A list to read (payments taken, day totals): its totals in the header style.
    static func readingList(
        _ lines: [(text: String, isTotal: Bool)], top: Int, title: String, width: Int, into buffer: inout CellBuffer, glyphs: Glyphs
    ) {
        let inside = centered(width: width, height: min(buffer.height - 2, lines.count + 4), title: title, into: &buffer, glyphs: glyphs)
        let rows = max(1, inside.height - 2)
        for (offset, line) in lines.dropFirst(top).prefix(rows).enumerated() {
            buffer.put(fitting: line.text, x: inside.x, y: inside.y + offset, width: inside.width, style: line.isTotal ? .header : .normal)
        }
        buffer.put(
            fitting: "j/k scroll  any other key closes", x: inside.x, y: inside.y + inside.height - 1, width: inside.width, style: .muted)
    }

    static func padded(_ text: String, to width: Int) -> String {
        var out = ""
        var used = 0
        for character in TerminalText.sanitized(text) {
            let w = TerminalText.width(of: character)
            if used + w > width { break }
            out.append(character)
            used += w
        }
        return out + String(repeating: " ", count: max(0, width - used))
    }

    static func command(_ prompt: CommandPrompt, into buffer: inout CellBuffer) {
        let y = buffer.height - 2
        buffer.put(fitting: ":" + prompt.field.text + "_", x: 0, y: y, width: buffer.width, style: .input)
        var lines: [(String, StyleName)] = []
        if let error = prompt.error { lines.append((error, .error)) }
        let shown = prompt.candidates.isEmpty && prompt.field.text.isEmpty ? CommandPrompt.commands.map(\.name) : prompt.candidates
        for name in shown.prefix(12) {
            let command = CommandPrompt.commands.first { $0.name == name }
            let usage = command.map { $0.name + ($0.argument.map { " " + $0 } ?? "") } ?? name
            lines.append((usage.padding(toLength: 14, withPad: " ", startingAt: 0) + (command?.summary ?? ""), .overlay))
        }
        for (index, line) in lines.reversed().enumerated() {
            buffer.put(fitting: " " + line.0, x: 0, y: y - 1 - index, width: min(buffer.width, 64), style: line.1)
        }
    }

    /// The first key bound to `action` in a question or picker, as a prompt names it.
    static func key(_ action: Action, _ model: ConsoleModel) -> String {
        let key = model.keyMap.keys(for: action, in: .dialog).first ?? model.keyMap.keys(for: action, in: .global).first
        switch key {
        case .enter?: return "Enter"
        case .escape?: return "Esc"
        case let key?: return key.description
        case nil: return "(unbound)"
        }
    }
}
