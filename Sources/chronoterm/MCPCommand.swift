import AgentDesk
import ArgumentParser
import DrChronoAPI
import Foundation
import Mirror
import Practice

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the practice to an AI agent over MCP (Model Context Protocol) on standard input and output.",
        discussion: """
            The agent reads the day from the profile's local copy — the schedule, free slots, patients, a visit's \
            charges, notes, tomorrow's confirmations, day totals — at no request to DrChrono. The day's jobs \
            (book, move, set a status, cancel, register or edit a patient, take a payment, charge, correct, void, \
            claim status and notes) answer a preview and a token; only `confirm` with that token queues the job, \
            through the same checks and write queue as the console. Every call is in the audit trail.

            --person gives the role (a clinician's server offers no booking), the name in the trail and the \
            person's DrChrono login for writes; `people add NAME --mcp-key FILE` gives an agent on their laptop \
            a key whose forced command is this, reached with `ssh -T`. --read-only offers no job at all.

            An MCP client's configuration (Claude Desktop and others):
              {"command": "ssh", "args": ["-T", "-i", "~/.ssh/chronoterm-agent", "chronoterm@practice-host"]}
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Option(
        help: ArgumentHelp(
            "The person of the practice the agent acts for (chronoterm people): their role and their name in the audit trail.",
            valueName: "name"))
    var person: String?

    @Option(help: ArgumentHelp("The fingerprint of the SSH key they came with (set by the forced command).", valueName: "SHA256:…"))
    var key: String?

    @Flag(help: "Offer reads only: no job, no confirm, no cancel.")
    var readOnly = false

    func run() async throws {
        // A reader gone is an ended session, not a signal that kills the process mid-write.
        signal(SIGPIPE, SIG_IGN)
        let directory = profileOptions.directory
        guard FileManager.default.fileExists(atPath: directory.file("profile.json").path) else {
            throw ValidationError("There is no profile '\(directory.name)' yet: log in to the practice first (chronoterm login).")
        }
        var someone: PracticePeople.Person?
        if let person {
            guard let found = try PracticePeople.load(from: directory).admitted(person, key: key) else {
                throw ValidationError(
                    "'\(person)' is not one of this practice's people (any more). Ask the office manager: chronoterm people add.")
            }
            someone = found
        }
        let profile = try profileOptions.open()
        let settings = profile.settings
        let via = sessionOrigin(surface: "mcp", key: key)
        // A person of a grant: the agent reads and writes their side of the practice only.
        let sight = try profile.sight(of: someone)
        let mirror = try MirrorDatabase.open(
            in: profile.directory, person: someone.map { AuditTrail.Person(name: $0.name, via: via) }, sight: sight)
        if let seal = profile.auditSeal { mirror.keepAuditCheckpoint(in: profile.directory, seal: seal) }
        let zone = try await mirror.pool.read { db in try MirrorQueries.practiceTimeZone(db) } ?? .current
        let (role, writes) = Role.resolve(person: someone?.role, profile: settings.role, allowWrites: settings.allowWrites == true)
        let client = try? profile.client()
        let hourly = settings.budgetPolicy.hourly
        let desk = AgentDesk(
            mirror: mirror, person: ActingPerson(name: someone?.name, role: role, writes: writes, doctors: sight?.doctors),
            readOnly: readOnly,
            zone: zone,
            budget: {
                guard let client else { return nil }
                return (await client.budgetRemaining(), hourly)
            },
            admitted: { [person, key, grant = someone?.grant] in
                // Removed from the practice, their key taken away, or mapped to another
                // grant (what they may see changed): nothing more.
                guard let person else { return true }
                guard let found = (try? PracticePeople.load(from: directory))?.admitted(person, key: key) else { return false }
                return found.grant == grant
            })
        if someone != nil {
            _ = try? await mirror.pool.write { db in try AuditTrail.record(AuditTrail.Event(.sessionStart, outcome: "mcp"), in: db) }
        }
        try await MCPServer.run(desk, version: ChronotermVersion.string, transport: LineTransport())
        if someone != nil {
            _ = try? await mirror.pool.write { db in try AuditTrail.record(AuditTrail.Event(.sessionEnd, outcome: "mcp"), in: db) }
        }
    }
}
