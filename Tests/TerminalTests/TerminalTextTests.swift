import Foundation
import Terminal
import Testing

@Suite("Text from DrChrono, made safe to draw")
struct TerminalTextTests {
    @Test("escape sequences and control characters become visible, harmless stand-ins")
    func controlsAreDefused() {
        let hostile = "Eve\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31mMallory\u{202E}gnp.exe"
        let safe = TerminalText.sanitized(hostile)
        #expect(!safe.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E })
        #expect(safe == "Eve␛]0;pwned·␛[2J·31mMallory·gnp.exe")
    }

    @Test("ordinary names, accents and other scripts pass through unchanged")
    func namesPassThrough() {
        for name in ["María López", "O'Brien-Smith", "李 明", "Алексей", "Zoë\tRenée"] {
            #expect(TerminalText.sanitized(name) == name.replacingOccurrences(of: "\t", with: " "))
        }
    }

    @Test("a ZWJ family, a skin tone, an emoji presentation: counted as terminals draw them, and a box keeps its border")
    func joinedEmoji() {
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦"
        let safe = TerminalText.sanitized(family)
        #expect(TerminalText.width(of: safe) == 8, "four emoji of two columns, as a terminal draws them")
        #expect(TerminalText.width(of: TerminalText.sanitized("👍🏽")) == 2 && TerminalText.width(of: TerminalText.sanitized("❤️")) == 1)
        var buffer = CellBuffer(width: 20, height: 1)
        buffer.put(fitting: "Pat " + family + " Doe", x: 0, y: 0, width: 10, style: .normal)
        buffer.put("│", x: 10, y: 0, style: .border)
        #expect(buffer.lines[0].hasSuffix("│") && TerminalText.width(of: buffer.lines[0]) <= 20, "\(buffer.lines[0])")
    }

    @Test("a TERM with an escape sequence is never echoed back raw")
    func hostileTerm() {
        let problem = NcursesScreen.problem(withTerminal: "x\u{1B}]0;owned\u{07}\u{1B}[2J")
        #expect(problem?.contains("\u{1B}") == false && problem?.contains("\u{07}") == false, "\(problem ?? "")")
        #expect(problem?.contains("␛]0;owned") == true)
    }
}
