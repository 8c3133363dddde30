import Console
import ConsoleTestSupport
import Terminal
import Testing

/// `?` fits the window: lines wrap at a word rather than being cut, and every pane's keys,
/// the status letters and the commands are all on screen.
@Suite("The help fits the window")
struct HelpFitsTests {
    @Test("at 120×40 and 170×50 nothing in any pane's help is cut, and the last status letter shows", arguments: [(120, 40), (170, 50)])
    func nothingCut(size: (width: Int, height: Int)) throws {
        let session = try PracticeFixture().session(width: size.width, height: size.height)
        for pane in ["1", "2", "3", "4"] {
            session.press(.escape)
            session.press(.character(Character(pane)))
            session.press(.escape)  // the patient query takes keys after 2: Esc gives them back
            session.press(.character("?"))
            #expect(session.model.overlay == .help, "pane \(pane)")
            let screen = ConsoleView.render(session.model, width: size.width, height: size.height).lines.joined(separator: "\n")
            let box = screen.split(separator: "\n").filter { $0.contains("│") }
            #expect(!box.contains { $0.contains("…") }, "cut in pane \(pane) at \(size):\n\(screen)")
            #expect(screen.contains("theme NAME, sync, help, quit"), "the last commands, pane \(pane) at \(size)")
            if pane == "1" { #expect(screen.contains("N No Show"), "the last status letter at \(size)") }
        }
    }
}
