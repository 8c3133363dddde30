import ArgumentParser
import Foundation
import Mirror

@main
struct Chronoterm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chronoterm",
        abstract: "A terminal practice console for DrChrono practices.",
        discussion: """
            chronoterm keeps a local mirror of your DrChrono practice so the schedule, \
            patient search, notes and billing answer instantly and keep working offline.

            `chronoterm` alone opens the console on your profile. Try it without an \
            account: `chronoterm demo` opens it on an invented practice.
            """,
        version: ChronotermVersion.string,
        subcommands: [
            ConsoleCommand.self, DemoCommand.self, SandboxCommand.self, LoginCommand.self, GrantsCommand.self, LogoutCommand.self,
            WhoamiCommand.self,
            APICommand.self, SyncCommand.self, QueueCommand.self, AuditCommand.self, KeysCommand.self, PeopleCommand.self,
            DaySheetCommand.self, MCPCommand.self, EventsCommand.self, ExportCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self)
}

extension Chronoterm {
    /// Everything chronoterm writes holds PHI or secrets: nothing it creates is
    /// readable by other users, whatever the shell's umask.
    static func main() async {
        umask(0o077)
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // A word typed where a command goes that is none: said as that, with the
            // nearest command — not as the console's usage, which it would otherwise read as.
            if let unknown = unknownCommand(CommandLine.arguments.dropFirst()) {
                FileHandle.standardError.write(Data((unknown + "\n").utf8))
                terminate(64)
            }
            // A mistake in the options: the message and that command's usage.
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // SQLite's own words ("SQLite error 13 … COMMIT TRANSACTION") say nothing to a
            // front desk: which file, what happened and what to do instead.
            let shown = MirrorDatabase.problem(error) ?? error
            // What went wrong while running is not a mistake in how it was typed: its
            // words alone, without a usage line that has nothing to do with it.
            if let said = shown as? ValidationError {
                FileHandle.standardError.write(Data("Error: \(said.message)\n".utf8))
                terminate(1)
            }
            exit(withError: shown)
        }
    }

    /// What to say of `arguments` when their first word is not a command (nil: it is one,
    /// or an option).
    static func unknownCommand(_ arguments: ArraySlice<String>) -> String? {
        guard let word = arguments.first, !word.hasPrefix("-") else { return nil }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(word) else { return nil }
        let nearest = names.min { distance(word, $0) < distance(word, $1) }
        let hint = nearest.flatMap { distance(word, $0) <= 2 ? " Did you mean '\($0)'?" : nil } ?? ""
        return
            "chronoterm: there is no command '\(word)'.\(hint) The commands: \(names.joined(separator: ", ")) ('chronoterm --help' says what each does)."
    }

    /// Edits from `a` to `b` (Levenshtein): how far a typo is from a command.
    static func distance(_ a: String, _ b: String) -> Int {
        let (a, b) = (Array(a), Array(b))
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let was = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = was
            }
        }
        return row[b.count]
    }
}

enum ChronotermVersion {
    static let string = "0.1.0"
}

/// Ends the process with `status` (the C library's `exit`, which the command's own
/// `exit(withError:)` hides inside the type).
func terminate(_ status: Int32) -> Never { exit(status) }
