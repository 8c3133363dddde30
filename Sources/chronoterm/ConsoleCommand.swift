import ArgumentParser
import Console
import DrChronoAPI
import Foundation
import Practice

struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the practice console (what `chronoterm` alone does).",
        discussion: """
            Panes: 1 schedule, 2 patient search, 3 notes, 4 billing (Tab cycles). \
            ? shows the keys of the pane you are in; : takes a command (Tab completes); \
            / searches patients; Esc goes back; q quits.

            Everything shown comes from the profile's local copy, so it answers at once \
            and keeps working offline; bookings, status changes and charges are queued \
            and sent to DrChrono in the background, exactly once.

            Keys can be changed in ~/.config/chronoterm/keys.toml; colours come from \
            Themes/ (dark, light, high-contrast, monochrome; NO_COLOR is honoured).
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Option(
        help: ArgumentHelp(
            "Colour theme: dark, light, high-contrast, monochrome, or your own in ~/.config/chronoterm/themes.", valueName: "name"))
    var theme: String?

    @Option(help: ArgumentHelp("Open the schedule on this day: T+1, 12/3, 2026-12-03 (default: today).", valueName: "date"))
    var date: String?

    @Flag(help: "Let the terminal's mouse reach chronoterm (off: the terminal keeps its own selection and copy).")
    var mouse = false

    @Flag(
        help: ArgumentHelp(
            "Draw in ASCII only: for a terminal that cannot show UTF-8 but says it can.",
            discussion:
                "The console draws in UTF-8 whatever locale the SSH client sent (or none); vt100, vt220 and dumb are drawn in ASCII."))
    var ascii = false

    @Option(
        help: ArgumentHelp(
            "The person of the practice at this console (chronoterm people): their role, their lock passphrase, their name in the audit trail. Set by the forced command of their SSH key.",
            valueName: "name"))
    var person: String?

    @Option(help: ArgumentHelp("The fingerprint of the SSH key they came with (set by the forced command).", valueName: "SHA256:…"))
    var key: String?

    func run() async throws {
        let directory = profileOptions.directory
        guard FileManager.default.fileExists(atPath: directory.file("profile.json").path) else {
            throw ValidationError(
                """
                There is no profile '\(directory.name)' yet.
                  Log in to your practice:   chronoterm login
                  Or try it on a demo practice, no account needed:   chronoterm demo
                """)
        }
        var someone: PracticePeople.Person?
        var via: String?
        if let person {
            // Only the practice's people, and only with a key still theirs.
            guard let found = try PracticePeople.load(from: directory).admitted(person, key: key) else {
                throw ValidationError(
                    "'\(person)' is not one of this practice's people (any more). Ask the office manager: chronoterm people add.")
            }
            someone = found
            via = sessionOrigin(key: key)
        }
        try TTY.checkCanShowConsole()
        if let date {
            do { _ = try DateExpression(date).resolve(today: LocalDateTime(Date(), in: .current)) } catch {
                throw ValidationError("--date: \(error)")
            }
        }
        let profile = try profileOptions.open()
        try await ConsoleRunner(
            profile: profile, themeName: theme, mouse: mouse, ascii: ascii,
            label: someone.map { "\($0.name)@\(directory.name)" } ?? directory.name,
            date: date, person: someone, via: via, key: key
        ).run()
    }
}
