/// One terminal cell: a grapheme and its style. The right half of a double-width
/// character is a cell with empty text, so every row keeps one cell per column.
public struct Cell: Sendable, Equatable {
    public var text: String
    public var style: StyleName

    public init(_ text: String = " ", _ style: StyleName = .normal) { (self.text, self.style) = (text, style) }

    public static let blank = Cell()
}

/// A frame: what the screen should show, cell by cell. Views draw into it; the backend
/// compares it with the frame before and sends only the cells that changed.
public struct CellBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Draw with ASCII alone (LANG=C, vt100): text is transliterated as it is put.
    public var asciiOnly = false

    public init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.asciiOnly = asciiOnly
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` at (x, y) in `style`, clipped to `limit` columns (and the buffer);
    /// text from DrChrono is sanitised here, so nothing drawn can carry a control
    /// character. Answers the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: StyleName, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + (limit ?? width))
        var column = x
        let safe = TerminalText.sanitized(text)
        for character in asciiOnly ? TerminalText.ascii(safe) : safe {
            let w = TerminalText.width(of: character)
            if w == 0 {
                // A stray combining mark joins the cell before it.
                if column > x, column - 1 >= 0 { self[column - 1, y].text.append(character) }
                continue
            }
            guard column + w <= end else {
                // A wide character that does not fit leaves a blank, never half a glyph.
                if column < end { self[column, y] = Cell(" ", style) }
                column = end
                break
            }
            if column >= 0 {
                // Overwriting half of a wide character clears its other half.
                if self[column, y].text.isEmpty, column > 0 { self[column - 1, y] = Cell(" ", self[column - 1, y].style) }
                self[column, y] = Cell(String(character), style)
                if w == 2 { self[column + 1, y] = Cell("", style) }
            }
            column += w
        }
        return column - x
    }

    /// Writes `text` cut to `limit` columns with an ellipsis when it does not fit, and
    /// pads the rest of the width with the style.
    @discardableResult
    public mutating func put(fitting text: String, x: Int, y: Int, width limit: Int, style: StyleName) -> Int {
        guard limit > 0 else { return 0 }
        fill(x: x, y: y, width: limit, height: 1, style: style)
        let safe = TerminalText.sanitized(text)
        let shown = asciiOnly ? TerminalText.ascii(safe) : safe
        if TerminalText.width(of: shown) <= limit { return put(shown, x: x, y: y, style: style, limit: limit) }
        var cut = ""
        var used = 0
        for character in shown {
            let w = TerminalText.width(of: character)
            if used + w > limit - 1 { break }
            cut.append(character)
            used += w
        }
        put(cut, x: x, y: y, style: style, limit: limit)
        put(asciiOnly ? "~" : "…", x: x + used, y: y, style: style)
        return limit
    }

    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: StyleName, text: String = " ") {
        let rows = (max(0, y), min(height, y + h))
        let columns = (max(0, x), min(width, x + w))
        guard rows.0 < rows.1, columns.0 < columns.1 else { return }
        for row in rows.0..<rows.1 {
            for column in columns.0..<columns.1 { self[column, row] = Cell(text, style) }
        }
    }

    /// Re-styles a span without changing its text (a cursor bar over a row).
    public mutating func restyle(x: Int, y: Int, width w: Int, style: StyleName) {
        guard y >= 0, y < height, max(0, x) < min(width, x + w) else { return }
        for column in max(0, x)..<min(width, x + w) { self[column, y].style = style }
    }

    /// Each row as text, trailing spaces dropped: what `tmux capture-pane` would show,
    /// and what golden-screen tests compare.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width { line += self[column, row].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// A stretch of changed cells on one row.
    public struct Run: Sendable, Equatable {
        public var x: Int
        public var y: Int
        public var cells: [Cell]
    }

    /// The runs of cells in `self` that differ from `previous` (all of them when the
    /// sizes differ). Neighbouring changes a few cells apart are joined: rewriting two
    /// unchanged cells costs fewer bytes than moving the cursor past them.
    public func changes(since previous: CellBuffer?) -> [Run] {
        let whole = previous == nil || previous!.width != width || previous!.height != height
        var runs: [Run] = []
        for y in 0..<height {
            var x = 0
            while x < width {
                guard whole || previous![x, y] != self[x, y] else { x += 1; continue }
                var lastChanged = x
                var probe = x + 1
                while probe < width, probe - lastChanged <= 3 {
                    if whole || previous![probe, y] != self[probe, y] { lastChanged = probe }
                    probe += 1
                }
                var end = lastChanged + 1
                // Never start or end a run on half of a wide character.
                var start = x
                if self[start, y].text.isEmpty, start > 0 { start -= 1 }
                while end < width, self[end, y].text.isEmpty { end += 1 }
                runs.append(Run(x: start, y: y, cells: Array((start..<end).map { self[$0, y] })))
                x = end
            }
        }
        return runs
    }
}
