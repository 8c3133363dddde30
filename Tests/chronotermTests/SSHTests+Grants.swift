import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// A practice whose two offices do not share patients, each reached through its own
/// DrChrono login (a grant), and a front desk person of each over real SSH.
extension SSHTests {
    @Test(
        """
        a person per grant over real SSH: each finds their office's patients and none of the other's; a booking on the other \
        doctor's day is refused with the reason; their own booking reaches DrChrono through their office's login
        """
    )
    func personPerGrant() async throws {
        var sessions: [Tmux] = []
        var sshd: TestSSHD?
        defer {
            for session in sessions { session.kill() }
            sshd?.stop()
        }
        try await withSandbox { sandbox in
            let doctors = try await sandbox.all("/api/doctors", token: try await sandbox.token()).rows.compactMap { $0.int("id") }.sorted()
            try #require(doctors.count >= 3)
            // No login sees the whole practice: the profile's own sees the third doctor's
            // side, each office's grant its own. The sync reads through all three.
            #expect(try await sandbox.admin("PUT", "practice_group", ["share_patients": false]).status == 200)
            #expect(try await sandbox.admin("PUT", "users/frontdesk", ["doctor": .int(doctors[2])]).status == 200)
            #expect(try await sandbox.admin("PUT", "users/office-1", ["doctor": .int(doctors[0])]).status == 200)
            #expect(try await sandbox.admin("PUT", "users/office-2", ["doctor": .int(doctors[1])]).status == 200)
            let env = try await Chronoterm.loggedIn(to: sandbox)
            for (grant, user) in [("north", "office-1"), ("south", "office-2")] {
                let added = try await Chronoterm.addGrant(grant, as: user, sandbox, env)
                #expect(added.0 == 0, "\(added.1)")
            }
            let loaded = try await Chronoterm.run(["sync", "--once"], environment: env)
            #expect(loaded.status == 0, "\(loaded.errors)")
            let home = env["XDG_CONFIG_HOME"]!
            let authorized = home + "/authorized_keys"
            let people = [("nora", "north", doctors[0]), ("sam", "south", doctors[1])]
            for (name, grant, _) in people {
                try TestSSHD.keygen(home + "/" + name)
                let added = try await Chronoterm.run(
                    [
                        "people", "add", name, "--role", "front-desk", "--grant", grant, "--ssh-key", home + "/\(name).pub",
                        "--authorized-keys", authorized,
                    ],
                    environment: env)
                #expect(added.status == 0, "\(added.errors)")
            }
            let listed = try await Chronoterm.run(["people", "list"], environment: env)
            #expect(listed.output.split(separator: "\n").contains { $0.hasPrefix("nora") && $0.contains("north") }, "\(listed.output)")
            let wrong = try await Chronoterm.run(["people", "add", "nora", "--grant", "west"], environment: env)
            #expect(wrong.status != 0 && wrong.errors.contains("no such grant; its grants: north, south"), "\(wrong.errors)")

            sshd = try TestSSHD(authorizedKeys: authorized)
            let server = sshd!
            sessions.append(try await Tmux.start(["sync", "--daemon"], environment: env))

            // The mirror holds the whole practice, through the three logins.
            let counted = try await Chronoterm.run(["grants"], environment: env)
            #expect(!counted.output.contains("No live login sees"), "\(counted.output)")
            // A patient of each office, by chart id.
            let patients = (try await sandbox.adminJSON("records/patients")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
            func chartId(of doctor: Int) throws -> String {
                try #require(patients.first { $0.int("doctor") == doctor }?.string("chart_id"))
            }
            var consoles: [String: Tmux] = [:]
            for (name, _, _) in people {
                let console = try await Tmux.start([], environment: [:], program: server.ssh(key: home + "/" + name, ["-tt"]))
                sessions.append(console)
                consoles[name] = console
                _ = try await console.waitFor("\(name)@desk", timeout: 60)
                try await console.press("1", "d")
                try await console.type("2027-01-05")
                try await console.press("Enter", "g")
                _ = try await console.waitFor("8:00 am")
            }
            for (name, _, doctor) in people {
                let console = consoles[name]!
                let other = doctor == doctors[0] ? doctors[1] : doctors[0]
                // Booking at their own doctor's first slot: the other office's patient is not found.
                try await console.press("b")
                _ = try await console.waitFor("type the patient's name")
                try await console.type(try chartId(of: other))
                _ = try await console.waitFor("no match")
                try await console.press("Escape")
            }

            // Nora books her own patient on her doctor's day: it goes through north's login
            // (the profile's own may not book for her doctor: DrChrono would refuse it).
            let nora = consoles["nora"]!
            // Books `chartId`'s patient at the slot after `keys`; answers when the console says `outcome`.
            func book(after keys: String..., chartId: String, outcome: String) async throws {
                for key in keys { try await nora.press(key) }
                try await nora.press("b")
                _ = try await nora.waitFor("type the patient's name")
                try await nora.type(chartId)
                _ = try await nora.waitFor("1 found")
                try await nora.press("Enter")
                _ = try await nora.waitFor("Enter book")
                try await nora.press("Enter")
                _ = try await nora.waitFor(outcome)
            }
            try await book(after: "g", chartId: try chartId(of: doctors[0]), outcome: "queued for DrChrono")
            let day = {
                try await sandbox.all("/api/appointments", query: ["date": "2027-01-05"], token: try await sandbox.token(user: "office-1"))
                    .rows
            }
            let booked = try await eventually("nora's booking at the sandbox") {
                try await day()
            } until: {
                $0.count == 1
            }
            #expect(booked.first?.int("doctor") == doctors[0])
            let writes = (try await sandbox.adminJSON("writes")["writes"]?.arrayValue ?? []).compactMap(\.objectValue)
            let posted = writes.filter { $0.string("method") == "POST" && $0.string("path")?.hasPrefix("/api/appointments") == true }
            #expect(posted.map { $0.string("username") } == ["office-1"], "sent once, with north's login: \(posted)")

            // On the other doctor's day (the next column), her patient: refused, saying why.
            try await book(after: "Right", chartId: try chartId(of: doctors[0]), outcome: "not on your side of the practice")
            let after = (try await sandbox.adminJSON("records/appointments")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
            #expect(after.filter { $0.string("scheduled_time")?.hasPrefix("2027-01-05") == true }.count == 1, "nothing more was sent")

            // The office manager moves sam to north: what sam may see changed, so his open
            // console closes within seconds (he opens it again on north's side).
            let moved = try await Chronoterm.runProgram(
                [Chronoterm.binary.path, "people", "add", "sam", "--grant", "north"], environment: env)
            #expect(moved.status == 0, "\(moved.errors)")
            _ = try await consoles["sam"]!.waitUntil(timeout: 15, "sam's console to close") { !$0.contains("sam@desk") }
        }
    }
}
