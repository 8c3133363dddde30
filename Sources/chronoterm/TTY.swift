import ArgumentParser
import Foundation
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// Asking the person at the terminal.
enum TTY {
    static var isInteractive: Bool { isatty(STDIN_FILENO) != 0 }

    /// Refuses, saying what to do, a terminal that cannot show the console: none at
    /// all, an unset or unknown TERM, one that cannot move its cursor, or a terminal
    /// this process does not own (started in the background, as `timeout` without
    /// `--foreground` does).
    static func checkCanShowConsole(_ what: String = "The console") throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw Refusal("\(what) needs a terminal. For scripts, use chronoterm api, sync or queue.")
        }
        if let problem = NcursesScreen.problem(withTerminal: ProcessInfo.processInfo.environment["TERM"]) { throw Refusal(problem) }
        guard NcursesScreen.inForeground else {
            throw Refusal(
                "chronoterm was started in the background of this terminal and cannot read its keys. Start it in the foreground "
                    + "(under timeout(1), add --foreground).")
        }
    }

    static func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    static func ask(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        return readLine(strippingNewline: true)
    }

    /// A line typed without echo, for passphrases and secrets.
    static func secret(_ prompt: String) -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let isTTY = tcgetattr(STDIN_FILENO, &saved) == 0
        if isTTY {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        let line = readLine(strippingNewline: true) ?? ""
        if isTTY {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return line
    }
}

/// A command that cannot go on, and why, in words: printed as "Error: …" with exit
/// status 1 (a ValidationError would add the usage, as if the command were mistyped).
struct Refusal: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
