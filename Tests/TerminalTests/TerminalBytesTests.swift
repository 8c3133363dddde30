import Console
import ConsoleTestSupport
import Foundation
import Terminal
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What ncurses actually sends, counted byte for byte on a terminal that is a file.
@Suite("Bytes written to the terminal")
struct TerminalBytesTests {
    @Test("a cursor move sends a few hundred bytes at most; a day change more; the first frame the whole screen")
    func bytes() throws {
        let session = try PracticeFixture().session()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-bytes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try #require(fopen(file.path, "w"))
        let input = try #require(fopen("/dev/null", "r"))
        let screen = NcursesScreen(theme: .builtIn, colour: true, type: "xterm-256color", output: output, input: input, size: (120, 40))
        func draw() -> Int {
            fflush(output)
            let before = ftell(output)
            session.resize(width: 120, height: 40)
            screen.draw(ConsoleView.render(session.model, width: 120, height: 40))
            fflush(output)
            return ftell(output) - before
        }
        let first = draw()
        session.press(.character("j"))
        let move = draw()
        session.press(.character("n"))
        let day = draw()
        let still = draw()
        screen.stop()
        fclose(output)
        fclose(input)
        #expect(first > 2_000, "the first frame draws the screen: \(first) bytes")
        #expect(move > 0 && move < 400, "a cursor move: \(move) bytes")
        #expect(day > move, "a day change: \(day) bytes")
        #expect(still == 0, "an unchanged frame sends nothing: \(still) bytes")
    }
}
