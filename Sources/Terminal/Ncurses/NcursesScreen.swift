import CNcursesw
import Console
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The one place that touches the terminal, through ncursesw. It draws a frame by
/// sending only the cells that differ from the frame before, picks colours the terminal
/// can show (truecolour → 256 → 16 → 8 → none), and reads keys.
public final class NcursesScreen {
    public enum ColourDepth: String, Sendable {
        case direct = "truecolour"
        case palette256 = "256 colours"
        case ansi16 = "16 colours"
        case ansi8 = "8 colours"
        case none = "no colour"
    }

    public private(set) var colourDepth = ColourDepth.none
    /// A terminal that cannot show UTF-8 (vt100, dumb), or ASCII asked for: ASCII
    /// borders and text.
    public let asciiOnly: Bool

    /// The terminals drawn in ASCII whatever the locale says.
    public static let asciiTerminals: Set<String> = ["vt100", "vt102", "vt220", "vt52", "dumb"]
    private var previous: CellBuffer?
    private var looks: [StyleName: (attributes: Int32, pair: Int32)] = [:]
    private let screen: OpaquePointer?
    private var stopped = false
    /// Waits for a key that ended at once, with nothing read, one after another: a
    /// terminal at end of file answers every wait that way.
    private var emptyWaits = 0

    // curses.h's attribute bits (NCURSES_BITS(1, n) = 1 << (n + 8)); macros Swift cannot import.
    static let underline: Int32 = 1 << 17, reverse: Int32 = 1 << 18, dim: Int32 = 1 << 20, bold: Int32 = 1 << 21

    /// Starts curses on the controlling terminal — or, for measuring, on `output` as a
    /// terminal of `type` (nothing is read then).
    public init(
        theme: Theme, colour: Bool, mouse: Bool = false, type: String? = nil, output: UnsafeMutablePointer<FILE>? = nil,
        input: UnsafeMutablePointer<FILE>? = nil,
        size: (width: Int, height: Int)? = nil, ascii: Bool = false
    ) {
        setlocale(LC_ALL, "")
        let term = type ?? ProcessInfo.processInfo.environment["TERM"] ?? "dumb"
        // Over SSH the locale is whatever the client sent, or nothing (an sshd without
        // `AcceptEnv LANG LC_*`): a terminal that shows UTF-8 is drawn in UTF-8 all the same,
        // or every name with an accent would read as question marks.
        if !ascii, !Self.asciiTerminals.contains(term), String(cString: chronoterm_codeset()) != "UTF-8" {
            for name: String in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil { break }
        }
        let codeset = String(cString: chronoterm_codeset())
        asciiOnly = ascii || codeset != "UTF-8" || Self.asciiTerminals.contains(term)
        // The window's size comes from the terminal, never from LINES and COLUMNS
        // inherited from a shell: with those set, ncurses keeps their size and does not
        // follow the window when it is resized. (use_env(false) is no cure: it stops
        // following resizes too.)
        unsetenv("LINES")
        unsetenv("COLUMNS")
        if let output {
            screen = newterm(term, output, input ?? output)
            _ = set_term(screen)
            if let size { resizeterm(Int32(size.height), Int32(size.width)) }
        } else {
            screen = nil
            // Before initscr: ncurses keeps a handler that is already there.
            chronoterm_watch_terminal()
            initscr()
        }
        raw()
        noecho()
        nonl()
        keypad(chronoterm_stdscr(), true)
        curs_set(0)
        // A short Esc: long enough to gather an arrow key's bytes over SSH, short
        // enough that Esc feels instant.
        set_escdelay(25)
        mousemask(mouse ? mmask_t(0o7777777777) : 0, nil)
        if colour && has_colors() {
            start_color()
            use_default_colors()
            let colours = Int(chronoterm_colors())
            colourDepth =
                colours >= 0x1000000 ? .direct : colours >= 256 ? .palette256 : colours >= 16 ? .ansi16 : colours >= 8 ? .ansi8 : .none
        }
        apply(theme, colour: colour)
    }

    deinit { stop() }

    public var size: (width: Int, height: Int) { (Int(getmaxx(chronoterm_stdscr())), Int(getmaxy(chronoterm_stdscr()))) }

    /// Sets every style's colours and attributes, as far as the terminal can show them.
    public func apply(_ theme: Theme, colour: Bool) {
        looks = [:]
        var pair: Int32 = 1
        for name in StyleName.allCases {
            let style = colour && colourDepth != .none ? theme.style(name) : theme.style(name).withoutColour
            var attributes: Int32 = 0
            if style.bold { attributes |= Self.bold }
            if style.underline { attributes |= Self.underline }
            if style.reverse { attributes |= Self.reverse }
            if style.dim { attributes |= Self.dim }
            var number: Int32 = 0
            if colourDepth != .none, style.foreground != .terminalDefault || style.background != .terminalDefault {
                init_extended_pair(pair, index(style.foreground), index(style.background))
                number = pair
                pair += 1
            }
            looks[name] = (attributes, number)
        }
        previous = nil
    }

    private func index(_ colour: ThemeColor) -> Int32 {
        switch colourDepth {
        case .direct:
            guard let (r, g, b) = colour.rgb, colour != .terminalDefault else { return -1 }
            return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        case .palette256: return Int32(colour.palette256)
        case .ansi16: return Int32(colour.ansi(count: 16))
        case .ansi8: return Int32(colour.ansi(count: 8))
        case .none: return -1
        }
    }

    /// Draws `frame`, sending only what changed since the last frame. Answers the
    /// number of cells sent.
    @discardableResult
    public func draw(_ frame: CellBuffer) -> Int {
        var sent = 0
        for run in frame.changes(since: previous) {
            var x = run.x
            var index = 0
            while index < run.cells.count {
                // One call per stretch of one style.
                let style = run.cells[index].style
                var text: [wchar_t] = []
                var columns = 0
                var end = index
                while end < run.cells.count, run.cells[end].style == style {
                    for scalar in run.cells[end].text.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
                    columns += 1
                    end += 1
                }
                let look = looks[style] ?? (0, 0)
                attrset(look.attributes | (look.pair << 8))
                text.append(0)
                mvaddnwstr(Int32(run.y), Int32(x), text, Int32(text.count - 1))
                sent += end - index
                x += columns
                index = end
            }
        }
        attrset(0)
        refresh()
        previous = frame
        return sent
    }

    /// Forgets what is on screen, so the next frame is drawn whole (Ctrl-L, a resize).
    public func invalidate() {
        previous = nil
        clearok(chronoterm_curscr(), true)
    }

    /// Waits up to `milliseconds` for a key or a resize; answers `.terminalLost` once
    /// the terminal is gone.
    public func next(timeout milliseconds: Int32, wake: FolderWatch? = nil, inbox: Int32? = nil) -> InputEvent? {
        if screen == nil, chronoterm_terminal_signal() != 0 { return .terminalLost }
        var milliseconds = milliseconds
        let watched = wake?.descriptor
        if screen == nil, watched != nil || inbox != nil {
            // Asleep on the terminal, the profile's folder and the console's inbox
            // together. Keys ncurses has already read (typed ahead) come first: poll
            // cannot see them.
            timeout(0)
            var early: wint_t = 0
            let result = get_wch(&early)
            if result != ERR {
                emptyWaits = 0
                return decoded(early, result)
            }
            var waits = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
            for descriptor in [watched, inbox].compactMap({ $0 }) {
                waits.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0))
            }
            let ready = poll(&waits, nfds_t(waits.count), milliseconds)
            if ready == 0 { return nil }
            let messages = inbox != nil && waits.last!.revents != 0
            let folder = watched != nil && waits[1].revents != 0
            if messages || folder {
                let heard = folder ? (wake?.drain() ?? false) : false
                // A change of no interest: back to waiting, as after a timeout. (The
                // inbox's wake-ups are read away when it is drained.)
                if waits[0].revents == 0 { return heard ? .wake : messages ? .inbox : nil }
            }
            // The terminal has something (a key, or it hung up): read it as before.
            milliseconds = 10
        }
        timeout(milliseconds)
        let started = DispatchTime.now().uptimeNanoseconds
        var code: wint_t = 0
        let result = get_wch(&code)
        if result == ERR {
            guard screen == nil else { return nil }
            // A wait that ends early with nothing read is a signal, or a terminal at end
            // of file (a pty whose other side closed reads as empty at once, for ever).
            let waited = DispatchTime.now().uptimeNanoseconds - started
            emptyWaits = waited < UInt64(milliseconds) * 500_000 ? emptyWaits + 1 : 0
            if terminalLost || (emptyWaits >= 3 && Self.inputAtEnd()) { return .terminalLost }
            return nil
        }
        emptyWaits = 0
        return decoded(code, result)
    }

    private func decoded(_ code: wint_t, _ result: Int32) -> InputEvent? {
        let event = KeyDecoder.decode(UInt32(code), isKeyCode: result == KEY_CODE_YES)
        if event == .resize { invalidate() }
        return event
    }

    /// The terminal is gone: a hangup or termination signal arrived, its input hung up,
    /// or this process is no longer in its foreground (it would be stopped by the next
    /// read or write).
    private var terminalLost: Bool {
        if chronoterm_terminal_signal() != 0 { return true }
        var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        if poll(&input, 1, 0) > 0, input.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return true }
        return !Self.inForeground
    }

    /// After waits that ended with nothing read: input that polls as readable and yet
    /// gave ncurses nothing is at end of file.
    private static func inputAtEnd() -> Bool {
        var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&input, 1, 0) > 0 && input.revents != 0
    }

    /// Whether this process owns its terminal: it is in the terminal's foreground
    /// process group. A console started in the background (under `timeout` without
    /// `--foreground`) or left there would be stopped by the kernel on its next read.
    public static var inForeground: Bool {
        let owner = tcgetpgrp(STDIN_FILENO)
        return owner < 0 || owner == getpgrp()
    }

    /// Why `term` (TERM) cannot show the console, or nil when it can. Looks the name up
    /// in terminfo without touching the terminal.
    public static func problem(withTerminal term: String?) -> String? {
        guard let term, !term.isEmpty else {
            return "TERM is not set, so chronoterm does not know how to draw on this terminal. Set it to your terminal's type, "
                + "for most terminals: export TERM=xterm-256color"
        }
        switch chronoterm_terminal_check(term) {
        case 1: return nil
        case 0:
            return
                "This terminal (TERM=\(Self.shown(term))) cannot move its cursor, so it cannot show the console. Use a full-screen terminal "
                + "(xterm, GNOME Terminal, iTerm2, Windows Terminal, PuTTY, tmux) and set TERM to its type, for most: export TERM=xterm-256color"
        case -1:
            return
                "TERM=\(Self.shown(term)) is not a terminal type this machine knows (no terminfo entry). Set TERM to your terminal's type, "
                + "for most terminals: export TERM=xterm-256color (or install its entry: apt-get install ncurses-term)"
        default:
            return "This machine has no terminfo database, so no terminal can be drawn on. Install it: apt-get install ncurses-base"
        }
    }

    /// TERM as it may be shown back: it came from the client, so it is sanitized (an
    /// escape sequence in it must not reach the person's own terminal) and cut short.
    static func shown(_ term: String) -> String {
        let safe = TerminalText.sanitized(term)
        return safe.count > 40 ? String(safe.prefix(40)) + "…" : safe
    }

    public func stop() {
        guard !stopped else { return }
        stopped = true
        // A terminal this process no longer owns is left alone: resetting it would stop
        // the process (SIGTTOU) or scribble on someone else's screen.
        if screen == nil, !Self.inForeground {
            signal(SIGTTOU, SIG_IGN)
            return
        }
        endwin()
        if let screen { delscreen(screen) }
    }
}
