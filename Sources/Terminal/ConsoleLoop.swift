import Console
import Foundation

/// The console's run loop, on the thread that owns the terminal: draw the frame, wait
/// briefly for a key, hand it to the session, let time pass. The frame is a pure
/// function of the session's model; the screen sends only what changed.
public enum ConsoleLoop {
    /// How long a wait for a key lasts before the clock and the mirror are looked at.
    public static let tick: Int32 = 200

    /// How the console's run ended.
    public enum Ending: Sendable, Equatable {
        /// The person quit.
        case quit
        /// The terminal went away (connection dropped, window closed): queued writes
        /// stay queued for the sync side to send.
        case terminalLost
    }

    /// Runs until the session asks to quit or the terminal goes away. `poll` runs every
    /// tick to bring news from the sync side into the model.
    @discardableResult
    public static func run(_ session: ConsoleSession, on screen: NcursesScreen, poll: (ConsoleSession) -> Void = { _ in }) -> Ending {
        var lastTick = Date.distantPast
        let glyphs: Glyphs = screen.asciiOnly ? .ascii : .unicode
        while true {
            let (width, height) = screen.size
            // A resize is an event for the model, sent when the size changes.
            if session.model.size.map({ $0.width != width || $0.height != height }) ?? true { session.resize(width: width, height: height) }
            if session.redrawRequested {
                screen.invalidate()
                session.redrawRequested = false
            }
            screen.draw(ConsoleView.render(session.model, width: width, height: height, glyphs: glyphs, asciiOnly: screen.asciiOnly))
            if session.quitRequested { return .quit }
            switch screen.next(timeout: tick) {
            case .key(let key)?: session.press(key)
            case .terminalLost?: return .terminalLost
            case .resize?, nil: break
            }
            let now = Date()
            if now.timeIntervalSince(lastTick) * 1000 >= Double(tick) {
                poll(session)
                session.tick(clock: now)
                lastTick = now
            }
        }
    }
}
