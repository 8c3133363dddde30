import Console
import DrChronoAPI
import Foundation
import Mirror
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// Keystroke to frame: the console's model, mirror reads, view and diff, as one
/// keystroke costs them; and the bytes ncurses writes for a cursor move and a day
/// change on a 120×40 xterm-256color.
enum ConsoleBench {
    static func run(mirror: MirrorDatabase, busiestDay: String, names: [String], percentiles: ([Double]) -> String) throws {
        let day = LocalDateTime(busiestDay + "T09:00:00") ?? LocalDateTime(Date(), in: .current)
        let session = try ConsoleSession(model: ConsoleModel(role: .frontDesk, now: day), mirror: mirror, timeZone: .current)
        var previous: CellBuffer?
        func frame() -> CellBuffer {
            session.resize(width: 120, height: 40)
            let buffer = ConsoleView.render(session.model, width: 120, height: 40)
            _ = buffer.changes(since: previous)
            previous = buffer
            return buffer
        }
        session.start()
        _ = frame()
        func seconds(_ elapsed: Duration) -> Double {
            Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        // The last key's two halves: the update with its mirror read, and the frame.
        var halves = (update: [Double](), frame: [Double]())
        func timed(_ key: Key) -> Double {
            let start = ContinuousClock.now
            session.press(key)
            let pressed = ContinuousClock.now
            _ = frame()
            let end = ContinuousClock.now
            halves.update.append(seconds(pressed - start))
            halves.frame.append(seconds(end - pressed))
            return seconds(end - start)
        }
        var moves: [Double] = []
        for step in 0..<400 { moves.append(timed(step % 40 < 20 ? .character("j") : .character("k"))) }
        print("keystroke to frame, schedule cursor move: " + percentiles(moves))
        var days: [Double] = []
        // CHRONOTERM_BENCH_DAYS: more day changes, for a profiler to see them.
        let dayChanges = Int(ProcessInfo.processInfo.environment["CHRONOTERM_BENCH_DAYS"] ?? "") ?? 600
        for step in 0..<dayChanges { days.append(timed(step % 2 == 0 ? .character("n") : .character("p"))) }
        print("keystroke to frame, schedule day change: " + percentiles(days))
        print(
            "  of which the update and its read: " + percentiles(Array(halves.update.suffix(days.count))) + "; the frame: "
                + percentiles(Array(halves.frame.suffix(days.count))))
        session.press(.character("/"))
        var typing: [Double] = []
        for name in names.prefix(100) {
            session.press(.control("u"))
            for character in name.prefix(8) { typing.append(timed(.character(character))) }
        }
        print("keystroke to frame, patient search as you type: " + percentiles(typing))
        print(
            "  of which the update and its read: " + percentiles(Array(halves.update.suffix(typing.count))) + "; the frame: "
                + percentiles(Array(halves.frame.suffix(typing.count))))
        // CHRONOTERM_BENCH_SLOTS: the searches again this many times, for a profiler.
        for _ in 0..<(Int(ProcessInfo.processInfo.environment["CHRONOTERM_BENCH_SLOTS"] ?? "") ?? 1) {
            try measureFindSlot(mirror: mirror, from: day, percentiles: percentiles)
        }
        try measureBytes(session: session)
    }

    /// find-slot from the busiest day: the first ten free slots, as the form asks for
    /// them — any doctor or one, 15 to 60 minutes, any time, mornings or afternoons.
    static func measureFindSlot(mirror: MirrorDatabase, from day: LocalDateTime, percentiles: ([Double]) -> String) throws {
        let doctors = try mirror.read { db in try MirrorQueries.doctors(db) }.map(\.id)
        var times: [Double] = []
        var found = 0
        var requests = 0
        for (index, doctor) in doctors.prefix(40).enumerated() {
            for minutes in [15, 30, 60] {
                var request = SlotFinder.Request(doctors: index % 4 == 0 ? nil : [doctor], office: nil, duration: minutes, from: day)
                request.part = [SlotFinder.PartOfDay.any, .mornings, .afternoons][(index + minutes) % 3]
                let start = ContinuousClock.now
                let slots = try mirror.read { db in try SlotFinder.find(request, now: day, in: db) }
                let elapsed = ContinuousClock.now - start
                times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                found += slots.count
                requests += 1
            }
        }
        print("find-slot, ten free slots from the busiest day (\(requests) searches, \(found) slots found): " + percentiles(times))
    }

    /// Bytes ncurses sends for one cursor move and one day change, on the schedule.
    static func measureBytes(session: ConsoleSession) throws {
        session.press(.escape)
        session.press(.character("1"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-bytes-\(UUID().uuidString)")
        guard let output = fopen(file.path, "w"), let input = fopen("/dev/null", "r") else { return }
        let theme = (try? Theme.load(named: "dark")) ?? .builtIn
        let screen = NcursesScreen(theme: theme, colour: true, type: "xterm-256color", output: output, input: input, size: (120, 40))
        func written() -> Int { fflush(output); return Int(ftell(output)) }
        func draw() -> Int {
            let before = written()
            session.resize(width: 120, height: 40)
            screen.draw(ConsoleView.render(session.model, width: 120, height: 40))
            return written() - before
        }
        let first = draw()
        var moves: [Int] = []
        for _ in 0..<20 { session.press(.character("j")); moves.append(draw()) }
        var days: [Int] = []
        for step in 0..<10 { session.press(.character(step % 2 == 0 ? "n" : "p")); days.append(draw()) }
        screen.stop()
        fclose(output)
        fclose(input)
        try? FileManager.default.removeItem(at: file)
        print(
            "bytes to the terminal (xterm-256color, 120×40, \(screen.colourDepth.rawValue)): whole first frame \(first); "
                + "cursor move median \(moves.sorted()[moves.count / 2]), max \(moves.max()!); day change median \(days.sorted()[days.count / 2]), max \(days.max()!)"
        )
    }
}
