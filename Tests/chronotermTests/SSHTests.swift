import DrChronoAPI
import Foundation
import SandboxHarness
import Synchronization
import Testing

/// An OpenSSH server of the test's own — its config, host key and port, in a folder
/// named chronoterm-test-sshd-… so the suite's leftover check finds it — reading the
/// authorized_keys that `chronoterm people` writes.
final class TestSSHD: @unchecked Sendable {
    let folder: URL
    let port: Int
    let process: ChildProcess
    let user: String

    init(authorizedKeys: String) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd"), FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh")
        else { throw SSHDError(description: "the SSH tests need OpenSSH: make test-deps (apt-get install openssh-server openssh-client)") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-test-sshd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try TestSSHD.keygen(folder.appendingPathComponent("host_ed25519").path)
        user = String(cString: getpwuid(getuid())!.pointee.pw_name)
        port = try TestSSHD.freePort()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(folder.path)/host_ed25519
            PidFile \(folder.path)/sshd.pid
            AuthorizedKeysFile \(authorizedKeys)
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin forced-commands-only
            AllowUsers \(user)
            PrintMotd no
            """
        // sshd run as root wants its privilege-separation folder, which the distribution's
        // service would have made; an empty root-owned folder is all it is.
        if getuid() == 0, !FileManager.default.fileExists(atPath: "/run/sshd") {
            try FileManager.default.createDirectory(
                atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        }
        let configFile = folder.appendingPathComponent("sshd_config")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        process = try ChildProcess("/usr/sbin/sshd", ["-D", "-f", configFile.path, "-E", folder.appendingPathComponent("sshd.log").path])
        // Listening once it answers on its port.
        for _ in 0..<100 {
            if TestSSHD.answers(port) { return }
            usleep(50_000)
        }
        throw SSHDError(
            description:
                "sshd did not start: \((try? String(contentsOf: folder.appendingPathComponent("sshd.log"), encoding: .utf8)) ?? "")")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// A new key pair at `path` (and `path.pub`), without a passphrase.
    static func keygen(_ path: String) throws {
        try ChildProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path]).waitUntilExit()
    }

    /// `ssh` as a person runs it, with their key, trusting this test's host; `command`
    /// is what they ask the server to run.
    func ssh(key: String, _ extra: [String] = [], command: [String] = []) -> [String] {
        [
            "/usr/bin/ssh", "-p", String(port), "-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o",
            "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        ] + extra + ["\(user)@127.0.0.1"] + command
    }

    /// A port on 127.0.0.1 that nothing holds now and that the kernel will not hand out on
    /// its own: chosen below the ephemeral range (`ip_local_port_range`), where another
    /// test's outgoing connection or port-0 listener could otherwise take it in the seconds
    /// before the test binds it, and never the same one twice in a run.
    static func freePort() throws -> Int {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))?
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let ephemeralFloor = range?.first ?? 32768
        let low = 10_000
        let high = max(low + 1_000, ephemeralFloor) - 1
        for _ in 0..<200 {
            let port = Int.random(in: low...high)
            guard PortsHandedOut.claim(port), bindable(port) else { continue }
            return port
        }
        throw SSHDError(description: "no free port on 127.0.0.1 between \(low) and \(high)")
    }

    private static func bindable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func answers(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

struct SSHDError: Error, CustomStringConvertible { var description: String }

@Suite("People over real SSH", .serialized)
struct SSHTests {
    /// One of the practice's people, with their key.
    struct Person {
        var name: String
        var role: String
        var doctor: Int?
        var key: String
    }

    @Test(
        """
        six people over real SSH on one profile: a booking reaches the other five screens; a clinician cannot book; \
        a biller's line item is sent once; the trail names each; a stranger's or a removed key gets no console and no shell
        """
    )
    func sixPeople() async throws {
        var sessions: [Tmux] = []
        var sshd: TestSSHD?
        defer {
            for session in sessions { session.kill() }
            sshd?.stop()
        }
        try await withSandbox({ $0.limitsEnabled = true }) { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let loaded = try await Chronoterm.run(["sync", "--once"], environment: env)
            #expect(loaded.status == 0, "\(loaded.errors)")
            let home = env["XDG_CONFIG_HOME"]!
            let authorized = home + "/authorized_keys"
            let doctors = (try await sandbox.adminJSON("records/doctors")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
                .compactMap { $0.int("id") }.sorted()
            try #require(doctors.count >= 3)
            let people = [
                Person(name: "ana", role: "front-desk", key: home + "/ana"), Person(name: "ben", role: "front-desk", key: home + "/ben"),
                Person(name: "cy", role: "billing", key: home + "/cy"), Person(name: "di", role: "billing", key: home + "/di"),
                Person(name: "eve", role: "clinician", doctor: doctors[1], key: home + "/eve"),
                Person(name: "fay", role: "clinician", doctor: doctors[2], key: home + "/fay"),
            ]
            for person in people {
                try TestSSHD.keygen(person.key)
                let added = try await Chronoterm.run(
                    [
                        "people", "add", person.name, "--role", person.role, "--ssh-key", person.key + ".pub", "--authorized-keys",
                        authorized,
                    ]
                        + (person.doctor.map { ["--doctor", String($0)] } ?? []), environment: env)
                #expect(added.status == 0, "\(added.errors)")
            }
            try TestSSHD.keygen(home + "/stranger")
            sshd = try TestSSHD(authorizedKeys: authorized)
            let server = sshd!
            // The practice's one sync, as the service runs it (in a tmux of its own: from
            // here on nothing is started with Foundation's Process, see runProgram).
            sessions.append(try await Tmux.start(["sync", "--daemon"], environment: env))
            let chronoterm = { (arguments: [String]) in
                try await Chronoterm.runProgram([Chronoterm.binary.path] + arguments, environment: env)
            }

            // Everyone connects; each gets their own console, named, in their role.
            var consoles: [String: Tmux] = [:]
            for person in people {
                let console = try await Tmux.start([], environment: [:], program: server.ssh(key: person.key, ["-tt"]))
                sessions.append(console)
                consoles[person.name] = console
            }
            for person in people {
                let screen = try await consoles[person.name]!.waitFor("\(person.name)@desk", timeout: 60)
                if let doctor = person.doctor {
                    // A clinician opens on their own doctor's day, first column.
                    let lastName = try #require(try await sandbox.adminJSON("records/doctors/\(doctor)").string("last_name"))
                    let header = try #require(screen.split(separator: "\n").first { $0.contains("Dr. ") }, "\(screen)")
                    #expect(header.trimmingCharacters(in: .whitespaces).hasPrefix("Dr. \(lastName)"), "\(person.name): \(header)")
                }
            }
            // All on the schedule of an empty day, the cursor on its first slot.
            for person in people {
                let console = consoles[person.name]!
                try await console.press("1", "d")
                try await console.type("2027-01-05")
                try await console.press("Enter", "g")
                _ = try await console.waitFor("8:00 am")
            }

            // Ana books a patient; the booking is on the five other screens at once.
            let token = try await sandbox.token()
            let patient = try #require(try await sandbox.all("/api/patients", token: token).rows.first)
            let chartId = try #require(patient.string("chart_id"))
            let lastName = try #require(patient.string("last_name"))
            let ana = consoles["ana"]!
            try await ana.press("b")
            _ = try await ana.waitFor("type the patient's name")
            try await ana.type(chartId)
            _ = try await ana.waitFor("1 found")
            try await ana.press("Enter")
            _ = try await ana.waitFor("Enter book")
            try await ana.press("Enter")
            _ = try await ana.waitFor("queued for DrChrono")
            for person in people where person.name != "ana" {
                _ = try await consoles[person.name]!.waitFor(lastName, timeout: 2)
            }
            let booked = try await eventually("the booking at the sandbox") {
                try await sandbox.all("/api/appointments", query: ["date": "2027-01-05"], token: token).rows
            } until: {
                $0.count == 1
            }
            let appointment = try #require(booked.first?.string("id"))

            // Eve, a clinician, cannot book: refused before anything is queued.
            let eve = consoles["eve"]!
            try await eve.press("b")
            _ = try await eve.waitFor("eve (clinician) can look but not book or bill")

            // Cy bills the visit (the first slot of the first doctor's column: the booking).
            let cy = consoles["cy"]!
            try await cy.press("$")
            _ = try await cy.waitFor("No line items yet")
            try await cy.addLineItem()
            _ = try await cy.waitFor("Total $100.00 for 1 line item")
            _ = try await cy.waitUntil(timeout: 60, "the queue to empty") { $0.contains("nothing queued") }
            let items = try await sandbox.all("/api/line_items", query: ["appointment": appointment], token: token).rows
            #expect(items.count == 1, "sent exactly once: \(items.count)")

            // The trail names who did what.
            let trail = try await chronoterm(["audit", "--csv"])
            let rows = trail.output.split(separator: "\n")
            for person in people {
                #expect(rows.contains { $0.contains(",\(person.name),session.start,") && $0.contains("from 127.0.0.1") }, "\(person.name)")
            }
            #expect(rows.contains { $0.contains(",ana,write.queued,") && $0.contains("appointment.create") }, "\(trail.output)")
            #expect(rows.contains { $0.contains(",cy,write.queued,") && $0.contains("line_item.create") }, "\(trail.output)")
            #expect(!rows.contains { $0.contains(",eve,write.") }, "\(trail.output)")

            // Asking for a command with a registered key: the console, never the command.
            let asked = try await Chronoterm.runProgram(server.ssh(key: people[2].key, ["-T"], command: ["echo", "shell-reached"]))
            #expect(!asked.output.contains("shell-reached"), "\(asked.output)")
            #expect(asked.errors.contains("The console needs a terminal"), "\(asked.errors)")
            // A key nobody registered: no way in.
            let stranger = try await Chronoterm.runProgram(server.ssh(key: home + "/stranger", ["-T"], command: ["echo", "shell-reached"]))
            #expect(stranger.status == 255 && !stranger.output.contains("shell-reached"), "\(stranger.errors)")

            // Ben's last day: his console closes within seconds, and his key opens nothing.
            _ = try await chronoterm(["people", "remove", "ben", "--authorized-keys", authorized])
            let ben = consoles["ben"]!
            _ = try await ben.waitUntil(timeout: 15, "ben's console to close") { !$0.contains("ben@desk") }
            let after = try await Chronoterm.runProgram(server.ssh(key: people[1].key, ["-T"], command: ["echo", "shell-reached"]))
            #expect(after.status == 255 && !after.output.contains("shell-reached"), "\(after.errors)")
        }
    }
}

/// The ports `TestSSHD.freePort` has given out in this run, so two tests never get the same.
private enum PortsHandedOut {
    private static let given = Mutex<Set<Int>>([])

    static func claim(_ port: Int) -> Bool { given.withLock { $0.insert(port).inserted } }
}
