import Console
import ConsoleTestSupport
import Terminal
import Testing

/// `?` fits the window: lines wrap at a word rather than being cut, and every pane's keys,
/// the status letters and the commands are all on screen.
@Suite("The help and the messages fit the window")
struct HelpFitsTests {
    @Test("at 120×40 and 170×50 nothing in any pane's help is cut, and the last status letter shows", arguments: [(120, 40), (170, 50)])
    func nothingCut(size: (width: Int, height: Int)) throws {
        let session = try PracticeFixture().session(width: size.width, height: size.height)
        for pane in ["1", "2", "3", "4"] {
            session.press(.escape)
            session.press(.character(Character(pane)))
            session.press(.escape)  // the patient query takes keys after 2: Esc gives them back
            session.press(.character("?"))
            #expect(session.model.overlay == .help(), "pane \(pane)")
            let screen = ConsoleView.render(session.model, width: size.width, height: size.height).lines.joined(separator: "\n")
            let box = screen.split(separator: "\n").filter { $0.contains("│") }
            #expect(!box.contains { $0.contains("…") }, "cut in pane \(pane) at \(size):\n\(screen)")
            #expect(screen.contains("theme NAME, sync, help, quit"), "the last commands, pane \(pane) at \(size)")
            if pane == "1" { #expect(screen.contains("N No Show"), "the last status letter at \(size)") }
        }
    }
}

extension HelpFitsTests {
    @Test("at 80×24 the help says which lines it shows and scrolls to every line; any other key closes it")
    func scrollsWhenShort() throws {
        let session = try PracticeFixture().session(width: 80, height: 24)
        session.press(.character("?"))
        var seen: [String] = []
        var first = ""
        for step in 0..<80 {
            let screen = ConsoleView.render(session.model, width: 80, height: 24).lines
            if step == 0 { first = screen.joined(separator: "\n") }
            seen += screen
            session.press(.down)
        }
        #expect(first.contains("lines 1–") && first.contains("↓ pgdn for more"), "\(first)")
        let all = seen.joined(separator: "\n")
        #expect(all.contains("theme NAME, sync, help, quit") && all.contains("N No Show"), "the last lines are reached")
        #expect(session.model.overlay != nil && session.model.overlay != .help(), "↓ scrolled it")
        session.press(.pageUp)
        session.press(.character("x"))
        #expect(session.model.overlay == nil, "any other key closes it")
    }

    @Test("a message longer than the window wraps at the foot, whole, at 80×24")
    func longMessageWraps() throws {
        let session = try PracticeFixture.hardestNames().session(width: 80, height: 24)
        session.press(.character("b"))  // on an empty slot of the doctor with the longest name
        let message = try #require(session.model.message?.text)
        #expect(message.count > 78, "a message longer than the window: \(message)")
        let foot = ConsoleView.render(session.model, width: 80, height: 24).lines.suffix(5).joined(separator: " ")
        func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        #expect(words(foot).contains(words(message)), "\(foot)")
        #expect(!foot.contains("…"), "nothing of it cut")
    }
}
