/// What `?` shows for the pane a person is in, laid out for a window: the pane's keys,
/// the keys that work everywhere and in questions, the `:` commands, and what the pane
/// adds (the status letters). Two columns where the window is wide enough, one below
/// the other where it is not; a line longer than its column wraps at a word, never cut.
/// Built here, not in the view, so the keys that scroll it know how far it goes.
public struct HelpPage: Equatable, Sendable {
    /// The columns, each a list of lines; one column in a narrow window.
    public var columns: [[String]]
    /// The cells each column takes.
    public var columnWidth: Int
    /// The box's width, inside its border.
    public var width: Int

    /// The lines from top to bottom: the longest column's.
    public var rowCount: Int { columns.map(\.count).max() ?? 0 }

    /// The lines of help a window `height` rows high shows at once: the box keeps a row
    /// clear above and below, its border two, and a line says there is more.
    public static func visibleRows(window height: Int) -> Int { max(1, height - 5) }

    /// The farthest the page scrolls in a window `height` rows high.
    public func farthest(window height: Int) -> Int { max(0, rowCount - Self.visibleRows(window: height)) }

    /// Whether a line starts a section (drawn as its title).
    public static func isTitle(_ line: String, after previous: String?) -> Bool {
        guard !line.isEmpty else { return false }
        return previous.map(\.isEmpty) ?? true
    }

    public init(_ model: ConsoleModel, windowWidth: Int) {
        let context = KeyContext(model.pane)
        func lines(_ context: KeyContext) -> [String] {
            model.keyMap.bound(in: context).map { entry in
                TextColumn.set(entry.keys.map(\.description).joined(separator: " "), width: 13) + " " + entry.action.summary
            }
        }
        var left = ["\(model.pane.title) keys"] + lines(context)
        // What the pane adds (status letters, a word on typing): under whichever column is
        // shorter, so the whole is as short as it can be.
        var extras: [String] = []
        if model.pane == .schedule {
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
        // As wide as the window allows (its box to 160 cells, two off each edge and border).
        width = min(windowWidth - 6, 156)
        let twoColumns = width >= 88
        columnWidth = twoColumns ? width / 2 : width
        let wrapAt = columnWidth - 1
        // A key's description goes on under itself; other lines hang by two.
        func wrapped(_ list: [String]) -> [String] {
            list.flatMap { line in
                let isKey = line.count > 14 && Array(line)[13] == " " && Array(line)[14] != " "
                return TextColumn.wrap(line, width: wrapAt, hang: isKey ? 14 : 2)
            }
        }
        (left, right, extras) = (wrapped(left), wrapped(right), wrapped(extras))
        if twoColumns {
            if right.count < left.count { right += extras } else { left += extras }
            columns = [left, right]
        } else {
            columns = [left + extras + [""] + right]
        }
    }
}
