import Console
import DrChronoAPI
import Mirror
import Practice

/// The clinician's day: their visits.
extension OverlayView {
    static func myDay(_ list: MyDayList, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let rows = max(1, buffer.height - 8)
        let first = max(0, list.selected - rows + 1)
        picker(
            title: list.title, width: 112,
            lines: list.rows.isEmpty
                ? ["No visits today."]
                : list.rows.dropFirst(first).prefix(rows).map { list.line($0, width: min(112, buffer.width - 2) - 6) },
            selection: list.rows.isEmpty ? -1 : list.selected - first, hint: "j/k choose  Enter open the chart  Esc close",
            into: &buffer, glyphs: glyphs)
    }
}
