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
}
