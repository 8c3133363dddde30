import Console
import ConsoleTestSupport
import Terminal
import Testing

@Suite("Cell buffer: widths, safety and the diff")
struct CellBufferTests {
    @Test("wide characters take two cells, combining marks none, and nothing is cut in half")
    func widths() {
        var buffer = CellBuffer(width: 10, height: 1)
        #expect(buffer.put("李a", x: 0, y: 0, style: .normal) == 3)
        #expect(buffer[0, 0].text == "李" && buffer[1, 0].text.isEmpty && buffer[2, 0].text == "a")
        #expect(buffer.put("e\u{301}x", x: 4, y: 0, style: .normal) == 2)
        #expect(buffer[4, 0].text == "e\u{301}")
        #expect(buffer.put("李李", x: 8, y: 0, style: .normal) == 2)
        #expect(buffer[9, 0].text.isEmpty)
        var narrow = CellBuffer(width: 3, height: 1)
        narrow.put("ab李", x: 0, y: 0, style: .normal)
        #expect(narrow.lines == ["ab"])
        #expect(TerminalText.width(of: "María López") == 11)
        #expect(TerminalText.width(of: "王 Kwame") == 8)
    }

    @Test("text with an escape sequence is drawn as inert characters")
    func escapesAreInert() {
        var buffer = CellBuffer(width: 40, height: 1)
        buffer.put("Eve\u{1B}]0;owned\u{07}\u{1B}[2J", x: 0, y: 0, style: .normal)
        #expect(buffer.lines == ["Eve␛]0;owned·␛[2J"])
        #expect(buffer.cells.allSatisfy { $0.text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F } })
    }

    @Test("fitting text is cut with an ellipsis")
    func fitting() {
        var buffer = CellBuffer(width: 20, height: 1)
        buffer.put(fitting: "O'Brien-Núñez, Zoë Alexandra", x: 0, y: 0, width: 12, style: .normal)
        #expect(buffer.lines == ["O'Brien-Núñ…"])
    }

    @Test("moving the cursor changes a few cells; a new day changes many")
    func diffs() throws {
        let session = try PracticeFixture().session()
        func frame() -> CellBuffer { ConsoleView.render(session.model, width: 120, height: 40) }
        let first = frame()
        #expect(first.changes(since: nil).reduce(0) { $0 + $1.cells.count } == 120 * 40)
        session.press(.character("j"))
        let moved = frame()
        let cursorCells = moved.changes(since: first).reduce(0) { $0 + $1.cells.count }
        // The old and the new cursor cells, the two time labels, the detail line.
        #expect(cursorCells > 0 && cursorCells <= 2 * 60 + 2 * 9 + 120)
        session.press(.character("n"))
        let nextDay = frame()
        let dayCells = nextDay.changes(since: moved).reduce(0) { $0 + $1.cells.count }
        #expect(dayCells > cursorCells * 3)
        #expect(nextDay.changes(since: nextDay).isEmpty)
    }
}
