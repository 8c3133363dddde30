/// Text from DrChrono made safe to draw. Every byte from the API is untrusted: a
/// patient named "\u{1B}]0;pwned\u{07}" must show as harmless characters, never retitle
/// the window, move the cursor or clear the screen.
public enum TerminalText {
    /// `text` with every control character and bidirectional override replaced by a
    /// visible stand-in (`␛` for ESC, `·` for the rest), so an escape sequence shows as
    /// inert characters; tabs and newlines become spaces.
    public static func sanitized(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0x1B: out.append("␛")
            case 0x00...0x1F, 0x7F...0x9F: out.append("·")
            // Bidi overrides and isolates can make text read in a different order
            // than it is stored ("Trojan Source").
            case 0x202A...0x202E, 0x2066...0x2069: out.append("·")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
