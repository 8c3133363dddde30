import Console
import Foundation

/// The console's run loop, on the thread that owns the terminal: draw the frame, wait
/// briefly for a key, hand it to the session, let time pass. The frame is a pure
/// function of the session's model; the screen sends only what changed.
public enum ConsoleLoop {
    /// How long a wait for a key lasts before the clock and the mirror are looked at:
    /// without a ``FolderWatch`` (the mirror's changes are noticed only by looking).
    public static let tick: Int32 = 200
    /// With a watch, changes wake the loop themselves, and the clock (the schedule's age,
    /// messages that clear, the idle lock) says when it next matters
    /// (``ConsoleView/nextChange(of:)``): the loop asks the mirror this often only as a
    /// safety, should a notice be missed.
    public static let idleTick: Int32 = 10_000
    /// The least time between two looks at the mirror that commits asked for: while the
    /// sync side catches up it commits several times a second, and each look reads the
    /// pane again. A commit seen sooner is looked at when the second ends.
    public static let mirrorSpacing: TimeInterval = 1

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
    /// changed it — a key, a message, the clock reaching an age's next step — so an idle
    /// console sleeps.
    @discardableResult
    public static func run(
        _ session: ConsoleSession, on screen: NcursesScreen, wake: FolderWatch? = nil, themes: ThemeSwitch? = nil
    ) -> Ending {
        var lastTick = Date.distantPast
        var lastMirrorCheck = Date.distantPast
        // A commit woke the loop and the mirror has not been asked since.
        var mirrorMoved = false
        let glyphs: Glyphs = screen.asciiOnly ? .ascii : .unicode
        let wait = wake?.descriptor == nil ? tick : idleTick
        var drawn: (revision: Int, minute: Int, width: Int, height: Int)?
        // The frame on screen, and when the clock alone changes it next.
        var shown: (frame: CellBuffer, due: Date)?
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
            // the status bar alone when only its ages did; nothing otherwise.
            let minute = Int(session.model.clock.timeIntervalSince1970) / 60
            if drawn.map({ $0 == (session.revision, minute, width, height) }) ?? false, let (frame, due) = shown {
                if session.model.clock >= due {
                    let bar =
                        ConsoleView.withClock(frame, session.model, glyphs: glyphs)
                        ?? ConsoleView.render(session.model, width: width, height: height, glyphs: glyphs, asciiOnly: screen.asciiOnly)
                    screen.draw(bar)
                    shown = (bar, ConsoleView.nextChange(of: session.model))
                }
            } else {
                let frame = ConsoleView.render(session.model, width: width, height: height, glyphs: glyphs, asciiOnly: screen.asciiOnly)
                screen.draw(frame)
                (drawn, shown) = ((session.revision, minute, width, height), (frame, ConsoleView.nextChange(of: session.model)))
            }
            if session.quitRequested { return .quit }
            // Wake when the clock next changes the screen, at the latest.
            let due = shown?.due ?? Date()
            let askAt = mirrorMoved ? min(due, lastMirrorCheck + mirrorSpacing) : due
            let untilDue = Int32(clamping: max(10, Int((askAt.timeIntervalSinceNow * 1000).rounded(.up))))
            let event = screen.next(timeout: min(wait, untilDue), wake: wake, inbox: session.inbox.descriptor)
            if event == .wake { mirrorMoved = true }
            let now = Date()
            let woken = mirrorMoved && now.timeIntervalSince(lastMirrorCheck) >= mirrorSpacing
            // Time passes before anything is handled: a key or a result meets a clock
            // under a second old (a message's time to clear is counted from it), while an
            // idle console's clock moves only when it changes the screen.
            if woken || now >= due || now.timeIntervalSince(lastTick) * 1000 >= Double(wait)
                || (event != nil && now.timeIntervalSince(lastTick) >= 1)
            {
                // With the folder watched, a commit wakes the loop: the mirror is asked
                // after a commit (at most once a second, `woken`) and every ten seconds,
                // not at every tick.
                let ask = wake?.descriptor == nil || woken || now.timeIntervalSince(lastMirrorCheck) >= 10
                session.tick(clock: now, checkMirror: ask)
                if ask { (lastMirrorCheck, mirrorMoved) = (now, false) }
                lastTick = now
            }
            switch event {
            case .key(let key)?: session.press(key)
            case .terminalLost?: return .terminalLost
            // The inbox is drained at the top of the loop, the mirror asked above.
            case .wake?, .inbox?, .resize?, nil: break
            }
        }
    }
}
