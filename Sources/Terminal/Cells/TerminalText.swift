import Console
import Foundation

/// Text from DrChrono made safe to draw. Every byte from the API is untrusted: a
/// patient named "\u{1B}]0;pwned\u{07}" must show as harmless characters, never retitle
/// the window, move the cursor or clear the screen.
public enum TerminalText {
    /// `text` with every control character and bidirectional override replaced by a
    /// visible stand-in (`␛` for ESC, `·` for the rest), so an escape sequence shows as
    /// inert characters; tabs and newlines become spaces.
    public static func sanitized(_ text: String) -> String {
        // Most of what a frame draws is printable ASCII: nothing to change, nothing to copy.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0x1B: out.append("␛")
            case 0x00...0x1F, 0x7F...0x9F: out.append("·")
            // Bidi overrides and isolates can make text read in a different order
            // than it is stored ("Trojan Source").
            case 0x202A...0x202E, 0x2066...0x2069: out.append("·")
            // What joins emoji into one picture (a ZWJ family, a skin tone, an emoji
            // presentation, a flag's tags) is drawn by many terminals as the separate
            // emoji, each two columns: dropped, so what is counted is what is drawn.
            case 0x200D, 0xFE0E, 0xFE0F, 0x1F3FB...0x1F3FF, 0xE0020...0xE007F: break
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

extension TerminalText {
    /// Columns `character` takes on a terminal (see ``TextColumn``).
    public static func width(of character: Character) -> Int { TextColumn.width(of: character) }

    /// Columns a whole string takes.
    public static func width(of text: String) -> Int { TextColumn.width(of: text) }

    /// Latin letters that Unicode does not decompose into a base letter and an accent,
    /// so folding leaves them as they are: "Łukasz" must read "Lukasz", not "?ukasz".
    static let latinLetters: [Character: String] = [
        "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe",
        "ß": "ss", "Þ": "Th", "þ": "th", "ı": "i", "Ħ": "H", "ħ": "h", "Ŀ": "L", "ŀ": "l", "Ŧ": "T", "ŧ": "t", "ĸ": "k", "Ŋ": "N", "ŋ": "n",
    ]

    /// `text` for a terminal that shows ASCII only (LANG=C, vt100): accents dropped
    /// ("López" → "Lopez"), anything else without an ASCII form shown as `?`.
    public static func ascii(_ text: String) -> String {
        var out = ""
        for character in text {
            if character.isASCII { out.append(character); continue }
            if let latin = latinLetters[character] { out += latin; continue }
            let folded = String(character).folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
            if folded.allSatisfy(\.isASCII), !folded.isEmpty { out += folded } else { out.append(width(of: character) == 2 ? "??" : "?") }
        }
        return out
    }
}

extension TerminalText {
    /// `text` made safe for a terminal, then set in a column `width` cells wide (see
    /// ``TextColumn/set(_:width:)``).
    public static func column(_ text: String, width: Int) -> String { TextColumn.set(sanitized(text), width: width) }
}
