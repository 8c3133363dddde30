import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// `chronoterm login --grant NAME` and `chronoterm grants`: a practice whose doctors'
/// offices do not share patients adds each office's DrChrono login to its one profile.
@Suite("Further DrChrono logins on one profile: login --grant and grants")
struct GrantsCommandTests {
    @Test(
        "two doctors' offices are added and listed; another practice's login and a second use of a name are refused; a revoked grant is marked dead alone"
    )
    func grantsOfOnePractice() async throws {
        try await withSandbox { sandbox in
            let doctors = try await sandbox.all("/api/doctors", token: try await sandbox.token()).rows.compactMap { $0.int("id") }.sorted()
            #expect(try await sandbox.admin("PUT", "practice_group", ["share_patients": false]).status == 200)
            #expect(try await sandbox.admin("PUT", "users/clinician1", ["doctor": .int(doctors[0])]).status == 200)
            #expect(try await sandbox.admin("PUT", "users/clinician2", ["doctor": .int(doctors[1])]).status == 200)
            #expect(try await sandbox.admin("PUT", "users/elsewhere", ["practice_group": 2]).status == 200)
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let profile = URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!).appendingPathComponent("chronoterm/profiles/desk")

            let north = try await Chronoterm.addGrant("north", as: "clinician1", sandbox, env)
            #expect(
                north.0 == 0 && north.1.contains("Added the grant north: DrChrono user clinician1, primary doctor \(doctors[0])"),
                "\(north.1)")
            let south = try await Chronoterm.addGrant("south", as: "clinician2", sandbox, env)
            #expect(south.0 == 0, "\(south.1)")

            let stranger = try await Chronoterm.addGrant("away", as: "elsewhere", sandbox, env)
            #expect(
                stranger.0 != 0 && stranger.1.contains("of another practice group (2), not this profile's (1): it was not added"),
                "\(stranger.1)")
            #expect(!FileManager.default.fileExists(atPath: profile.appendingPathComponent("grants/away").path), "nothing of it kept")
            let own = try await Chronoterm.addGrant("desk", as: "frontdesk", sandbox, env)
            #expect(own.0 != 0 && own.1.contains("the profile's own DrChrono login (frontdesk)"), "\(own.1)")
            let twice = try await Chronoterm.addGrant("north2", as: "clinician1", sandbox, env)
            #expect(twice.0 != 0 && twice.1.contains("is already the grant north"), "\(twice.1)")
            let again = try await Chronoterm.run(["login", "--grant", "north", "--paste"], environment: env)
            #expect(again.status != 0 && again.errors.contains("already has a grant named north"), "\(again.errors)")

            let listed = try await Chronoterm.run(["grants"], environment: env)
            #expect(listed.status == 0, "\(listed.errors)")
            let lines = listed.output.split(separator: "\n").map(String.init)
            #expect(
                lines.contains {
                    $0.hasPrefix("north") && $0.contains("clinician1") && $0.contains(" \(doctors[0]) ") && $0.contains("alive")
                }, "\(listed.output)")
            #expect(
                lines.contains { $0.hasPrefix("south") && $0.contains("clinician2") && $0.contains(" \(doctors[1]) ") }, "\(listed.output)")
            #expect(!listed.output.contains("away") && !listed.output.contains("north2"))

            // A sync reads through the fewest logins that see every doctor they can: the
            // profile's own (the first doctor's side, sharing off) and south; north adds
            // nothing; nobody sees the third doctor.
            let synced = try await Chronoterm.run(["sync"], environment: env)
            #expect(synced.status == 0, "\(synced.errors)")
            let planned = try await Chronoterm.run(["grants"], environment: env)
            let rows = planned.output.split(separator: "\n").map(String.init)
            #expect(rows.contains { $0.hasPrefix("practice") && $0.hasSuffix(" doctor \(doctors[0])") }, "\(planned.output)")
            #expect(
                rows.contains { $0.hasPrefix("south") && $0.contains("doctor \(doctors[1])  doctor \(doctors[1])") }, "\(planned.output)")
            #expect(rows.contains { $0.hasPrefix("north") && $0.contains("doctor \(doctors[0])  -  ") }, "\(planned.output)")
            #expect(
                planned.output.contains("No live login sees doctor \(doctors[2]): their rows are kept as last read"), "\(planned.output)")

            // The office behind north removes the app: north alone is dead.
            #expect(try await sandbox.admin("POST", "tokens/revoke", ["user": "clinician1"]).status == 200)
            let checked = try await Chronoterm.run(["grants", "--check"], environment: env)
            let after = checked.output.split(separator: "\n").map(String.init)
            #expect(after.contains { $0.hasPrefix("north") && $0.contains("dead") }, "\(checked.output)")
            #expect(after.contains { $0.hasPrefix("south") && $0.contains("alive") }, "\(checked.output)")
            #expect(after.contains { $0.hasPrefix("practice") && $0.contains("frontdesk") && $0.contains("alive") }, "\(checked.output)")

            // The office signs in again: north, under its name, is alive (another user may not take it).
            #expect(try await sandbox.admin("PUT", "users/locum", ["doctor": .int(doctors[2])]).status == 200)
            let stranger2 = try await Chronoterm.addGrant("north", as: "locum", sandbox, env)
            #expect(stranger2.0 != 0 && stranger2.1.contains("The grant north is clinician1's login"), "\(stranger2.1)")
            let again2 = try await Chronoterm.addGrant("north", as: "clinician1", sandbox, env)
            #expect(again2.0 == 0 && again2.1.contains("The grant north is signed in again"), "\(again2.1)")
            let revived = try await Chronoterm.run(["grants", "--check"], environment: env)
            #expect(
                revived.output.split(separator: "\n").contains { $0.hasPrefix("north") && $0.contains("alive") }, "\(revived.output)")
        }
    }
}

extension Chronoterm {
    /// `chronoterm login --grant NAME --paste`, signed in at the sandbox as `user`: its status and all it said.
    static func addGrant(_ name: String, as user: String, _ sandbox: RunningSandbox, _ env: [String: String]) async throws -> (
        Int32, String
    ) {
        let input = Pipe()
        let (process, output, errors) = try Chronoterm.start(["login", "--grant", name, "--paste"], environment: env, input: input)
        let said = await Chronoterm.read(errors, until: "Paste the whole address")
        let link = try #require(
            said.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.contains("/o/authorize/") }, "\(said)")
        let approval = try await sandbox.http.send(HTTPRequest(url: URL(string: link + "&sandbox_user=\(user)")!))
        input.fileHandleForWriting.write(Data((try #require(approval.header("location")) + "\n").utf8))
        let out = await Chronoterm.readToEnd(output)
        await Chronoterm.waitForExit(process)
        let complaints = await Chronoterm.readToEnd(errors)
        return (process.terminationStatus, out + complaints)
    }
}
