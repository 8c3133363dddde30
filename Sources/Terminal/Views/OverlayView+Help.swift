import Console
import DrChronoAPI

/// Boxes over the pane: help, the command line, prompts, pickers and forms.
/// `?`: the keys of the pane a person is in, and the status letters.
extension OverlayView {
    static func help(_ model: ConsoleModel, scroll: Int, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let page = HelpPage(model, windowWidth: buffer.width)
        let rows = HelpPage.visibleRows(window: buffer.height)
        let scroll = min(scroll, page.farthest(window: buffer.height))
        let more = page.rowCount > rows
        let height = min(buffer.height - 2, page.rowCount + (more ? 1 : 0) + 2)
        let inside = centered(
            width: page.width + 4, height: height, title: "Help — \(model.pane.title) (any key closes)", into: &buffer, glyphs: glyphs)
        for (index, column) in page.columns.enumerated() {
            let x = inside.x + index * page.columnWidth
            for row in 0..<min(rows, inside.height - (more ? 1 : 0)) where scroll + row < column.count {
                let line = column[scroll + row]
                let previous = scroll + row > 0 ? column[scroll + row - 1] : nil
                buffer.put(
                    fitting: line, x: x, y: inside.y + row, width: page.columnWidth - 1,
                    style: HelpPage.isTitle(line, after: previous) ? .header : .overlay)
            }
        }
        // A help taller than the window says there is more, and how to reach it.
        if more {
            let shown = "lines \(scroll + 1)–\(min(page.rowCount, scroll + rows)) of \(page.rowCount)"
            let hint = scroll < page.farthest(window: buffer.height) ? "↓ pgdn for more, ↑ back" : "↑ pgup back"
            buffer.put(
                fitting: "\(shown) \(glyphs.dot) \(hint)", x: inside.x, y: inside.y + inside.height - 1, width: inside.width, style: .muted)
        }
    }
}
