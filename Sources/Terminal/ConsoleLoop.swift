import Console
import Foundation

/// The console's run loop, on the thread that owns the terminal: draw the frame, wait
/// briefly for a key, hand it to the session, let time pass. The frame is a pure
/// function of the session's model; the screen sends only what changed.
public enum ConsoleLoop {
    /// How long a wait for a key lasts before the clock and the mirror are looked at.
    public static let tick: Int32 = 200

    /// Runs until the session asks to quit. `poll` runs every tick to bring news from
    /// the sync side into the model.
    public static func run(_ session: ConsoleSession, on screen: NcursesScreen, poll: (ConsoleSession) -> Void = { _ in }) {
        var lastTick = Date.distantPast
        let glyphs: Glyphs = screen.asciiOnly ? .ascii : .unicode
        while true {
            let (width, height) = screen.size
            session.model.fit(width: width, height: height)
            if session.redrawRequested {
                screen.invalidate()
                session.redrawRequested = false
            }
            screen.draw(ConsoleView.render(session.model, width: width, height: height, glyphs: glyphs, asciiOnly: screen.asciiOnly))
            if session.quitRequested { return }
            if case .key(let key)? = screen.next(timeout: tick) {
                session.press(key)
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
