import ArgumentParser
import DrChronoAPI
import Foundation

struct GrantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grants",
        abstract: "List the profile's DrChrono logins: its own and the grants added with login --grant.",
        discussion: """
            Each line names a login, the DrChrono user who signed in, their primary doctor \
            and practice group, and whether it is alive. Nothing is asked of DrChrono \
            unless --check is given: then each login's user is asked again (one request \
            each, from the profile's budget), and a login DrChrono refuses is marked dead.
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Flag(help: "Ask DrChrono who each login is now (one request each) and mark the refused ones dead.")
    var check = false

    func run() async throws {
        let profile = try profileOptions.open()
        var rows: [[String]] = [["GRANT", "USER", "DOCTOR", "GROUP", "STATE", "ADDED"]]
        var practice = ["practice", "(the profile's own login)", "", "", "", ""]
        if check {
            do {
                let user = try await profile.client().currentUser()
                practice = [
                    "practice", user.username, user.doctor.map(String.init) ?? "", user.practiceGroup.map(String.init) ?? "", "alive", "",
                ]
            } catch {
                practice[4] = "refused: " + Self.words(error)
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
                    (grant.username, grant.doctor, grant.practiceGroup, grant.state, grant.reason) =
                        (user.username, user.doctor, user.practiceGroup, .alive, nil)
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
    }

    static func words(_ error: any Error) -> String {
        if let problem = error as? APIError { return problem.description }
        return String(describing: error)
    }
}
