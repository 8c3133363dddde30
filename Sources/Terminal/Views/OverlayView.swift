import Console
import DrChronoAPI
import Practice

/// Boxes over the pane: help, the command line, prompts, pickers and forms.
enum OverlayView {
    static func draw(_ overlay: Overlay, model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs) {
        switch overlay {
        case .help(let scroll): help(model, scroll: scroll, into: &buffer, glyphs: glyphs)
        case .command(let prompt): command(prompt, into: &buffer)
        case .goToDate(let text, let error): goToDate(text, error: error, into: &buffer, glyphs: glyphs)
        case .statusPicker(let appointment, let selection):
            statusPicker(appointment, selection: selection, model: model, into: &buffer, glyphs: glyphs)
        case .confirmCancel(let appointment, let name): confirmCancel(appointment, name: name, model: model, into: &buffer, glyphs: glyphs)
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
        case .collections(let list): collections(list, into: &buffer, glyphs: glyphs)
        case .document(let view): document(view, model: model, into: &buffer, glyphs: glyphs)
        case .myDay(let list): myDay(list, into: &buffer, glyphs: glyphs)
        case .dayTotals(let list): dayTotals(list, into: &buffer, glyphs: glyphs)
        case .confirmList(let list): confirmList(list, into: &buffer, glyphs: glyphs)
        case .findSlot(let form): findSlot(form, model: model, into: &buffer, glyphs: glyphs)
        case .attach(let form): attach(form, inbox: model.folders.inbox?.path ?? "", into: &buffer, glyphs: glyphs)
        case .pickLineItem(let pick): pickLineItem(pick, into: &buffer, glyphs: glyphs)
        case .profilePicker(_, let name, let selection):
            profilePicker(name: name, selection: selection, model: model, into: &buffer, glyphs: glyphs)
        case .billingStatusPicker(_, let name, let selection):
            billingStatusPicker(name: name, selection: selection, into: &buffer, glyphs: glyphs)
        case .claimNote(_, let name, let text): claimNote(name: name, text: text, into: &buffer, glyphs: glyphs)
        case .confirmVoid(let item, let name): confirmVoid(item, name: name, model: model, into: &buffer, glyphs: glyphs)
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
        // The field being typed in shows its end, so the cursor stays in view.
        let shown = focused ? TextColumn.tail(value + "_", width: width - labelWidth) : value
        buffer.put(fitting: shown, x: x + labelWidth, y: y, width: width - labelWidth, style: focused ? .input : .normal)
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

    /// A form's problems, each wrapped at a word (its later lines under its words), in
    /// at most `lines` rows.
    static func problems(_ problems: [WriteProblem], x: Int, y: Int, width: Int, lines: Int = 4, into buffer: inout CellBuffer) {
        var row = 0
        for problem in problems {
            let style: StyleName = problem.severity == .error ? .error : .warning
            for line in TextColumn.wrap((problem.severity == .error ? "✗ " : "! ") + problem.message, width: width, hang: 2) {
                guard row < lines else { return }
                buffer.put(fitting: line, x: x, y: y + row, width: width, style: style)
                row += 1
            }
        }
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
        buffer.put(
            fitting: TextColumn.tail(":" + prompt.field.text + "_", width: buffer.width), x: 0, y: y, width: buffer.width, style: .input)
        var lines: [(String, StyleName)] = []
        if let error = prompt.error { lines.append((error, .error)) }
        let shown = prompt.candidates.isEmpty && prompt.field.text.isEmpty ? CommandPrompt.commands.map(\.name) : prompt.candidates
        for name in shown.prefix(12) {
            let command = CommandPrompt.commands.first { $0.name == name }
            let usage = command.map { $0.name + ($0.argument.map { " " + $0 } ?? "") } ?? name
            lines.append((TextColumn.set(usage, width: 13) + " " + (command?.summary ?? ""), .overlay))
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
