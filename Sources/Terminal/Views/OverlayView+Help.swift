import Console
import DrChronoAPI

/// Boxes over the pane: help, the command line, prompts, pickers and forms.
/// `?`: the keys of the pane a person is in, and the status letters.
extension OverlayView {
    static func help(_ model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let context = KeyContext(model.pane)
        func lines(_ context: KeyContext) -> [String] {
            model.keyMap.bound(in: context).map { entry in
                let keys = entry.keys.map(\.description).joined(separator: " ")
                return keys.padding(toLength: 14, withPad: " ", startingAt: 0) + entry.action.summary
            }
        }
        var left = ["\(model.pane.title) keys"] + lines(context)
        // What the pane adds (status letters, a word on typing): placed under whichever
        // column is shorter, so the whole fits the window.
        var extras: [String] = []
        if model.pane == .schedule {
            // Three to a line: the pane's keys come first and the whole must fit 40 rows.
            let letters = AppointmentStatus.all.map { "\($0.letter) \($0.label)" }
            extras +=
                ["", "Status letters"]
                + stride(from: 0, to: letters.count, by: 3).map { index in
                    letters[index..<min(letters.count, index + 3)].map { TextColumn.set($0, width: 19) }.joined()
                        .trimmingCharacters(in: .whitespaces)
                }
            extras += ["", "* waiting for DrChrono  ! refused: see chronoterm queue"]
        }
        if model.pane == .search { extras += ["", "While typing: ↑↓ pick, Enter open, Esc for the keys above."] }
        if model.pane == .notes { extras += ["", "j/k pick a note; pgdn/pgup scroll it."] }
        var right =
            ["Everywhere"] + lines(.global) + ["", "Questions and pickers"] + lines(.dialog) + ["", "Commands (type :, Tab completes)"]
        var line = ""
        for command in CommandPrompt.commands {
            let usage = command.name + (command.argument.map { " " + $0 } ?? "")
            if line.count + usage.count + 2 > 50 { right.append(line); line = "" }
            line += (line.isEmpty ? "" : ", ") + usage
        }
        right.append(line)
        // As wide as the window allows (to 160 cells); a line longer than its column wraps
        // at a word, never cut.
        let width = min(buffer.width - 2, 160)
        let twoColumns = width >= 90
        let columnWidth = twoColumns ? (width - 2) / 2 : width - 2
        (left, right) = (left.flatMap { wrap($0, to: columnWidth - 1) }, right.flatMap { wrap($0, to: columnWidth - 1) })
        extras = extras.flatMap { wrap($0, to: columnWidth - 1) }
        if twoColumns, right.count < left.count { right += extras } else { left += extras }
        let height = min(buffer.height - 2, (twoColumns ? max(left.count, right.count) : left.count + right.count + 1) + 3)
        let inside = centered(
            width: width, height: height, title: "Help — \(model.pane.title) (any key closes)", into: &buffer, glyphs: glyphs)
        let rows = inside.height - 1
        func draw(_ list: [String], x: Int, y: Int, limit: Int) {
            for (index, line) in list.prefix(limit).enumerated() {
                let isTitle = index == 0 || (index > 0 && list[index - 1].isEmpty && !line.isEmpty)
                buffer.put(fitting: line, x: x, y: y + index, width: columnWidth - 1, style: isTitle ? .header : .overlay)
            }
        }
        if twoColumns {
            draw(left, x: inside.x, y: inside.y, limit: rows)
            draw(right, x: inside.x + columnWidth, y: inside.y, limit: rows)
        } else {
            draw(left + [""] + right, x: inside.x, y: inside.y, limit: rows)
        }
    }

    /// `line` in lines of at most `width` cells, broken at spaces (a word longer than a
    /// line is cut); a key's description goes on under itself.
    static func wrap(_ line: String, to width: Int) -> [String] {
        guard width > 20, TerminalText.width(of: line) > width else { return [line] }
        let characters = Array(line)
        let indent = characters.count > 14 && characters[13] == " " && characters[14] != " " ? 14 : 2
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if TerminalText.width(of: candidate) > width, !current.isEmpty {
                lines.append(current)
                current = String(repeating: " ", count: indent) + word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
