import Console
import Foundation

/// The console's run loop, on the thread that owns the terminal: draw the frame, wait
/// briefly for a key, hand it to the session, let time pass. The frame is a pure
/// function of the session's model; the screen sends only what changed.
public enum ConsoleLoop {
    /// How long a wait for a key lasts before the clock and the mirror are looked at:
    /// without a ``FolderWatch`` (the mirror's changes are noticed only by looking).
    public static let tick: Int32 = 200
    /// With a watch, changes wake the loop themselves; the clock (the schedule's age,
    /// messages that clear, the idle lock) needs a look once a second.
    public static let idleTick: Int32 = 1000

    /// How the console's run ended.
    public enum Ending: Sendable, Equatable {
        /// The person quit.
        case quit
        /// The terminal went away (connection dropped, window closed): queued writes
        /// stay queued for the sync side to send.
        case terminalLost
    }

    /// Runs until the session asks to quit or the terminal goes away. Before each frame
    /// the session's inbox is drained into the model — results, the sync side's news —
    /// and the loop wakes at once when a message arrives or `wake` (the profile's
    /// folder) says the mirror moved. A frame is drawn only when something could have
    /// changed it — a key, a message, a new second — so an idle console sleeps.
    @discardableResult
    public static func run(
        _ session: ConsoleSession, on screen: NcursesScreen, wake: FolderWatch? = nil, themes: ThemeSwitch? = nil
    ) -> Ending {
        var lastTick = Date.distantPast
        var lastMirrorCheck = Date.distantPast
        let glyphs: Glyphs = screen.asciiOnly ? .ascii : .unicode
        let wait = wake?.descriptor == nil ? tick : idleTick
        var drawn: (revision: Int, minute: Int, width: Int, height: Int)?
        var shown: (frame: CellBuffer, second: Int)?
        // The effects still under way when the console closes (the audit trail's last
        // entries) are done before it returns.
        defer { session.finish() }
        while true {
            session.settle()
            if let theme = themes?.take() {
                screen.apply(theme, colour: themes?.colour ?? true)
                drawn = nil
            }
            let (width, height) = screen.size
            // A resize is an event for the model, sent when the size changes.
            if session.model.size.map({ $0.width != width || $0.height != height }) ?? true { session.resize(width: width, height: height) }
            if session.redrawRequested {
                screen.invalidate()
                session.redrawRequested = false
                drawn = nil
            }
            // The whole frame when the model moved (or the minute: the schedule's "now");
            // the status bar alone when only the second did; nothing otherwise.
            let second = Int(Date().timeIntervalSince1970)
            let clockOnly =
                drawn.map { $0 == (session.revision, second / 60, width, height) } ?? false
                ? shown.flatMap { $0.second == second ? $0.frame : ConsoleView.withClock($0.frame, session.model, glyphs: glyphs) }
                : nil
            if let frame = clockOnly {
                if shown?.second != second {
                    screen.draw(frame)
                    shown = (frame, second)
                }
            } else {
                let frame = ConsoleView.render(session.model, width: width, height: height, glyphs: glyphs, asciiOnly: screen.asciiOnly)
                screen.draw(frame)
                (drawn, shown) = ((session.revision, second / 60, width, height), (frame, second))
            }
            if session.quitRequested { return .quit }
            // Wake for the next second at the latest: the clock on screen moves.
            let untilNextSecond = Int32(max(10, 1000 - Int(Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 1) * 1000)))
            var woken = false
            switch screen.next(timeout: min(wait, untilNextSecond), wake: wake, inbox: session.inbox.descriptor) {
            case .key(let key)?: session.press(key)
            case .terminalLost?: return .terminalLost
            case .wake?: woken = true
            // The inbox is drained at the top of the loop: it is no tick by itself.
            case .inbox?, .resize?, nil: break
            }
            let now = Date()
            if woken || now.timeIntervalSince(lastTick) * 1000 >= Double(wait) || Int(now.timeIntervalSince1970) != second {
                // With the folder watched, a commit wakes the loop (`woken`): the mirror is
                // asked at each wake and every ten seconds, not at every second.
                let ask = wake?.descriptor == nil || woken || now.timeIntervalSince(lastMirrorCheck) >= 10
                session.tick(clock: now, checkMirror: ask)
                if ask { lastMirrorCheck = now }
                lastTick = now
            }
        }
    }
}
