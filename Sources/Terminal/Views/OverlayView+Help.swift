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
        if model.pane == .schedule {
            // Two to a line: the pane's keys come first and the list must fit 40 rows.
            let letters = AppointmentStatus.all.map { "\($0.letter) \($0.label)" }
            left +=
                ["", "Status letters"]
                + stride(from: 0, to: letters.count, by: 2).map { index in
                    letters[index].padding(toLength: 22, withPad: " ", startingAt: 0)
                        + (index + 1 < letters.count ? letters[index + 1] : "")
                }
            left += ["", "* waiting for DrChrono  ! refused: see chronoterm queue"]
        }
        if model.pane == .search { left += ["", "While typing: ↑↓ pick, Enter open, Esc for the keys above."] }
        if model.pane == .notes { left += ["", "j/k pick a note; pgdn/pgup scroll it."] }
        var right =
            ["Everywhere"] + lines(.global) + ["", "Questions and pickers"] + lines(.dialog) + ["", "Commands (type :, Tab completes)"]
        var line = ""
        for command in CommandPrompt.commands {
            let usage = command.name + (command.argument.map { " " + $0 } ?? "")
            if line.count + usage.count + 2 > 50 { right.append(line); line = "" }
            line += (line.isEmpty ? "" : ", ") + usage
        }
        right.append(line)
        let width = min(buffer.width - 2, 110)
        let twoColumns = width >= 90
        let height = min(buffer.height - 2, (twoColumns ? max(left.count, right.count) : left.count + right.count + 1) + 3)
        let inside = centered(
            width: width, height: height, title: "Help — \(model.pane.title) (any key closes)", into: &buffer, glyphs: glyphs)
        let columnWidth = twoColumns ? inside.width / 2 : inside.width
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
}
