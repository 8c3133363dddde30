import Console
import ConsoleTestSupport
import Foundation
import Terminal
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What ncurses actually sends, counted byte for byte on a terminal that is a file. One
/// test at a time: ncurses has one current terminal per process.
@Suite("Bytes written to the terminal", .serialized)
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

    @Test("a commit elsewhere that leaves the screen's rows as they were is nothing to draw; one that changes them is")
    func unchangedReadsDrawNothing() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session()
        session.resize(width: 120, height: 40)
        let revision = session.revision
        session.send(.mirrorChanged)
        #expect(session.revision == revision, "the same day, the same queue: the frame stands")
        try fixture.mirror.pool.write { db in
            try db.execute(sql: "UPDATE appointments SET status = 'Arrived' WHERE id = (SELECT min(id) FROM appointments)")
        }
        session.send(.mirrorChanged)
        #expect(session.revision != revision, "a visit's status changed: drawn again")
    }

    @Test(
        "an idle console's status bar moves by the minute: asleep until the next step, then the bar alone, as drawing it all would, in a few bytes"
    )
    func clockOnly() throws {
        let session = try PracticeFixture().session()
        session.resize(width: 120, height: 40)
        let start = session.model.clock
        session.receive(SyncNews(user: "desk", sync: .idle, lastSync: start, budgetLeft: 400, budgetHourly: 500, scheduleAsOf: start))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-bytes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try #require(fopen(file.path, "w"))
        let input = try #require(fopen("/dev/null", "r"))
        let screen = NcursesScreen(theme: .builtIn, colour: true, type: "xterm-256color", output: output, input: input, size: (120, 40))
        let frame = ConsoleView.render(session.model, width: 120, height: 40)
        screen.draw(frame)
        fflush(output)
        let before = ftell(output)

        let revision = session.revision
        // The loop sleeps until the next step of an age, a message's end or the next
        // minute: never more than a minute, never a second at a time.
        let due = ConsoleView.nextChange(of: session.model)
        #expect(due > start && due <= start.addingTimeInterval(60), "due \(due.timeIntervalSince(start)) s after")
        session.tick(clock: start.addingTimeInterval(7))
        #expect(ConsoleView.withClock(frame, session.model) == frame, "seven seconds change nothing on screen: \(frame.lines[39])")
        session.tick(clock: start.addingTimeInterval(67))
        #expect(session.revision == revision, "the clock alone is not a change of the model")
        let quick = try #require(ConsoleView.withClock(frame, session.model))
        #expect(quick == ConsoleView.render(session.model, width: 120, height: 40), "the same frame as a full render")
        #expect(quick.lines[39].contains("schedule 1m old"), "\(quick.lines[39])")
        let next = ConsoleView.nextChange(of: session.model)
        #expect(next > start.addingTimeInterval(67) && next <= start.addingTimeInterval(120), "the next step within the next minute")
        screen.draw(quick)
        fflush(output)
        let sent = ftell(output) - before
        screen.stop()
        fclose(output)
        fclose(input)
        #expect(sent > 0 && sent < 120, "the status bar's line and nothing else: \(sent) bytes")
    }
}

/// The lock screen, as a person of the practice sees it.
@Suite("The lock screen")
struct LockScreenTests {
    @Test("a person's locked console asks for their own lock passphrase, by name; a wrong one is refused in their name")
    func personLock() throws {
        let session = try PracticeFixture().session(lockAfter: 60)
        var model = session.model
        model.person = "ana"
        model.lock()
        var screen = ConsoleView.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("ana, type your lock passphrase and press Enter:"), "\(screen)")
        _ = model.handle(.unlock(.wrong))
        screen = ConsoleView.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("That is not ana's lock passphrase."), "\(screen)")
        model.lockOnlyQuits = true
        screen = ConsoleView.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("ana has no lock passphrase yet"), "\(screen)")
    }
}
