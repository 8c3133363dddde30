/// Display width, and setting text in a column by it: the one rule every list lays out
/// by, on screen and on paper. A Chinese name's characters take two cells, a combining
/// mark none; a column too narrow for its text ends it with "…".
public enum TextColumn {
    /// Columns `character` takes on a terminal: 2 for East Asian wide and most emoji,
    /// 0 for a lone combining mark, else 1. Measured from Unicode ranges rather than the
    /// C library's `wcwidth`, whose answer depends on the process's locale.
    public static func width(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let value = first.value
        if value < 0x300 { return 1 }
        if character.unicodeScalars.count > 1, character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        for range in wideRanges where range.contains(value) { return 2 }
        return 1
    }

    /// Columns a whole string takes.
    public static func width(of text: String) -> Int { text.reduce(0) { $0 + width(of: $1) } }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
        0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x3FFFD,
    ]

    /// `text` set in a column `width` cells wide: cut with "…" when longer, padded with
    /// spaces when shorter.
    public static func set(_ text: String, width: Int) -> String {
        guard width > 0 else { return "" }
        let used = self.width(of: text)
        if used <= width { return text + String(repeating: " ", count: width - used) }
        var out = ""
        var taken = 0
        for character in text {
            let w = self.width(of: character)
            if taken + w > width - 1 { break }
            out.append(character)
            taken += w
        }
        return out + "…" + String(repeating: " ", count: max(0, width - 1 - taken))
    }

    /// The end of `text` in `width` cells, "…" before it when it is longer: what a field
    /// being typed into shows, so the cursor and the last letters typed stay in view.
    public static func tail(_ text: String, width: Int) -> String {
        guard width > 1, self.width(of: text) > width else { return text }
        var kept = ""
        var taken = 0
        for character in text.reversed() {
            let w = self.width(of: character)
            if taken + w > width - 1 { break }
            kept.insert(character, at: kept.startIndex)
            taken += w
        }
        return "…" + kept
    }

    /// Column widths (one cell between each) fitted into `room`: the widest column gives
    /// way first, to 10 cells; then columns are left out from the right, never drawn in part.
    public static func fit(_ widths: [Int], into room: Int) -> [Int] {
        var widths = widths
        func used() -> Int { widths.reduce(0) { $0 + $1 + 1 } }
        if used() > room, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }) {
            widths[widest] = max(min(widths[widest], 10), widths[widest] - (used() - room))
        }
        while used() > room, !widths.isEmpty { widths.removeLast() }
        return widths
    }

    /// `text` set flush right in a column `width` cells wide, for amounts: padded on the
    /// left, never cut (an amount cut is a wrong amount); one wider than its column pushes
    /// on to the right.
    public static func right(_ text: String, width: Int) -> String {
        String(repeating: " ", count: max(0, width - self.width(of: text))) + text
    }

    /// `text` in lines of at most `width` cells, broken at spaces; a word longer than a
    /// line is broken where it must. Later lines start with `hang` spaces, so what goes on
    /// reads as going on. Text that fits comes back as it was.
    public static func wrap(_ text: String, width: Int, hang: Int = 0) -> [String] {
        guard width > hang + 4, self.width(of: text) > width else { return [text] }
        var lines: [String] = []
        var current = ""
        func push() {
            lines.append(current)
            current = String(repeating: " ", count: hang)
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let room = width - self.width(of: current) - (isBlank(current) ? 0 : 1)
            if self.width(of: word) <= room {
                current += (isBlank(current) ? "" : " ") + word
                continue
            }
            if !isBlank(current) { push() }
            for character in word {
                if self.width(of: current) + self.width(of: character) > width { push() }
                current.append(character)
            }
        }
        if !isBlank(current) { lines.append(current) }
        return lines
    }

    /// Whether `text` is spaces and tabs only (as `trimmingCharacters(in: .whitespaces)`
    /// would leave it empty), without Foundation's copy: the detail line wraps at each frame.
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }
}
