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
            ConsoleCommand.self, DemoCommand.self, SandboxCommand.self, LoginCommand.self, LogoutCommand.self, WhoamiCommand.self,
            APICommand.self, SyncCommand.self, QueueCommand.self, AuditCommand.self, KeysCommand.self, PeopleCommand.self,
            DaySheetCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self)
}

extension Chronoterm {
    /// Everything chronoterm writes holds PHI or secrets: nothing it creates is
    /// readable by other users, whatever the shell's umask.
    static func main() async {
        umask(0o077)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // SQLite's own words ("SQLite error 13 … COMMIT TRANSACTION") say nothing to a
            // front desk: which file, what happened and what to do instead.
            exit(withError: MirrorDatabase.problem(error) ?? error)
        }
    }
}

enum ChronotermVersion {
    static let string = "0.1.0"
}
