import Console
import ConsoleTestSupport
import Testing

/// One rule for when keys are text: a focused query takes every key, `2` and `/` focus it,
/// Esc gives the keys back to the pane.
@Suite("When keys are text and when they are commands")
struct TypingRuleTests {
    @Test("2 then a name searches for the name: no letter runs as a command")
    func twoThenAName() throws {
        let session = try PracticeFixture().session()
        session.press(.character("2"))
        #expect(session.model.pane == .search && session.model.search.editing)
        for character in "obrien" { session.press(.character(character)) }
        #expect(session.model.search.query.text == "obrien")
        #expect(session.model.search.results.map(\.patient.id) == [101], "Zoë O'Brien")
        #expect(session.model.message == nil, "no letter ran as a command")
        // ? and / while typing are text too; Esc gives the keys back.
        session.press(.character("?"))
        #expect(session.model.overlay == nil && session.model.search.query.text == "obrien?")
        session.press(.escape)
        session.press(.character("?"))
        #expect(session.model.overlay == .help())
    }
}
