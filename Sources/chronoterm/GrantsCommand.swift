import ArgumentParser
import DrChronoAPI
import Foundation
import Mirror

struct GrantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grants",
        abstract: "List the profile's DrChrono logins: its own and the grants added with login --grant.",
        discussion: """
            Each line names a login, the DrChrono user who signed in, their primary doctor \
            and practice group, which doctors' rows it sees (every doctor, or its own), \
            which the sync reads through it (the fewest logins that see every doctor are \
            read; "-": not needed while those live), and whether it is alive. Doctors no \
            live login sees are named below: their rows stay as last read. Nothing is \
            asked of DrChrono unless --check is given: then each login's user is asked \
            again (one request each, from the profile's budget), and a login DrChrono \
            refuses is marked dead.
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Flag(help: "Ask DrChrono who each login is now (one request each) and mark the refused ones dead.")
    var check = false

    func run() async throws {
        let profile = try profileOptions.open()
        let plan = readPlan(profile)
        var rows: [[String]] = [["GRANT", "USER", "DOCTOR", "GROUP", "SEES", "READS", "STATE", "ADDED"]]
        var practice = ["practice", "(the profile's own login)", "", "", "", Self.reads(plan, ""), "", ""]
        if check {
            do {
                let user = try await profile.client().currentUser()
                practice = [
                    "practice", user.username, user.doctor.map(String.init) ?? "", user.practiceGroup.map(String.init) ?? "",
                    Self.sees(user.seesEveryDoctor, user.doctor), Self.reads(plan, ""), "alive", "",
                ]
            } catch {
                practice[6] = "refused: " + Self.words(error)
            }
        }
        rows.append(practice)
        for var grant in profile.grants() {
            var unchecked: String?
            if check {
                do {
                    guard let client = try profile.client(forGrant: grant.name) else {
                        throw APIError.loginRequired("its tokens are missing")
                    }
                    let user = try await client.currentUser()
                    (grant.username, grant.doctor, grant.practiceGroup, grant.seesEveryDoctor, grant.state, grant.reason) =
                        (user.username, user.doctor, user.practiceGroup, user.seesEveryDoctor, .alive, nil)
                    try profile.save(grant)
                } catch {
                    // Dead only when DrChrono refused it; unreachable is not refused.
                    if case .loginRequired? = error as? APIError {
                        (grant.state, grant.reason) = (.dead, Self.words(error))
                        try profile.save(grant)
                    } else {
                        unchecked = Self.words(error)
                    }
                }
            }
            rows.append([
                grant.name, grant.username, grant.doctor.map(String.init) ?? "", grant.practiceGroup.map(String.init) ?? "",
                Self.sees(grant.seesEveryDoctor, grant.doctor), Self.reads(plan, grant.name),
                grant.state.rawValue + (grant.reason.map { ": \($0)" } ?? "") + (unchecked.map { " (not checked: \($0))" } ?? ""),
                grant.added,
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            var line = zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            print(line)
        }
        if rows.count == 2 { print("\nNo grants yet: chronoterm login --grant NAME adds one.") }
        if let plan, !plan.unseen.isEmpty {
            print(
                "\nNo live login sees doctor\(plan.unseen.count == 1 ? "" : "s") \(plan.unseen.map(String.init).joined(separator: ", ")): "
                    + "their rows are kept as last read. A login that sees them (chronoterm login --grant NAME) brings them back.")
        }
    }

    /// What the mirror records of who reads what (the last sync's plan), and the doctors
    /// none of those read; nil before the first sync.
    func readPlan(_ profile: Profile) -> (readers: [String: Set<Int>?], unseen: [Int])? {
        let path = MirrorDatabase.file(in: profile.directory)
        guard FileManager.default.fileExists(atPath: path), let mirror = try? MirrorDatabase.open(at: path) else { return nil }
        return try? mirror.pool.read { db in (try SyncBookmark.readers(in: db), try MirrorQueries.unseenDoctors(db).sorted()) }
    }

    /// Which doctors' rows a login sees, as DrChrono said.
    static func sees(_ every: Bool?, _ doctor: Int?) -> String {
        if every == true { return "every doctor" }
        return doctor.map { "doctor \($0)" } ?? ""
    }

    /// What the sync reads through the login `name`: "-" when it is not needed.
    static func reads(_ plan: (readers: [String: Set<Int>?], unseen: [Int])?, _ name: String) -> String {
        guard let plan, !plan.readers.isEmpty else { return "" }
        guard let doctors = plan.readers[name] else { return "-" }
        guard let doctors else { return "everything" }
        return (doctors.count == 1 ? "doctor " : "doctors ") + doctors.sorted().map(String.init).joined(separator: ", ")
    }

    static func words(_ error: any Error) -> String {
        if let problem = error as? APIError { return problem.description }
        return String(describing: error)
    }
}
