import DrChronoAPI
import DrChronoSandbox
import Foundation
import SandboxHarness
import Testing

/// What a person over SSH can make their console write or read of the service account:
/// nothing but the two folders the office manager named. (In the SSH suite, which runs
/// its tests one at a time: one sshd at a time.)
extension SSHTests {
    @Test(
        """
        each role, over SSH, saves a chart's document: the account's dot-files, ../, absolute paths and a link placed in the \
        documents folder are refused and nothing is written; a name lands in the folder; the inbox gives up nothing else
        """
    )
    func walls() async throws {
        var sessions: [Tmux] = []
        var sshd: TestSSHD?
        defer {
            for session in sessions { session.kill() }
            sshd?.stop()
        }
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            let patient = try #require(try await sandbox.all("/api/patients", token: token).rows.first)
            let patientId = try #require(patient.int("id"))
            let chartId = try #require(patient.string("chart_id"))
            // A PDF whose text is a key line: what an attacker would try to plant.
            var upload = MultipartBody()
            for (field, value) in [("patient", String(patientId)), ("doctor", String(patient.int("doctor") ?? 1))] {
                upload.add(field: field, value: value)
            }
            upload.add(field: "description", value: "Planted letter")
            upload.add(field: "date", value: LocalDateTime(Date(), in: RunningSandbox.practiceZone).dateString)
            upload.add(
                file: "document", fileName: "letter.pdf", contentType: "application/pdf",
                contents: Data(SandboxPDF.page(["not-a-key AAAAplanted attacker@example"])))
            #expect(
                try await sandbox.send(
                    "POST", "/api/documents", token: token, body: upload.encoded, headers: [("Content-Type", upload.contentType)]
                )
                .status == 201)

            let env = try await Chronoterm.loggedIn(to: sandbox)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let home = env["XDG_CONFIG_HOME"]!
            let authorized = home + "/authorized_keys"
            let documents = home + "/documents"
            let inbox = home + "/inbox"
            for folder in [documents, inbox] {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let set = try await Chronoterm.run(["people", "folders", "--documents", documents, "--inbox", inbox], environment: env)
            #expect(set.status == 0, "\(set.errors)")
            // Someone who can write to the folders places links out of them.
            let outside = home + "/outside"
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: documents + "/keys", withDestinationPath: outside + "/authorized_keys2")
            try Data("%PDF-1.4\n%secret\n".utf8).write(to: URL(fileURLWithPath: outside + "/secret.pdf"))
            try FileManager.default.createSymbolicLink(atPath: inbox + "/card.pdf", withDestinationPath: outside + "/secret.pdf")
            let realHome = NSHomeDirectory()
            let dotFiles = [".ssh/authorized_keys2", ".bash_profile", ".profile"].map { realHome + "/" + $0 }
            let existed = dotFiles.map { FileManager.default.fileExists(atPath: $0) }

            let people = [
                Person(name: "ana", role: "front-desk", key: home + "/ana"),
                Person(name: "cy", role: "billing", key: home + "/cy"),
                Person(name: "eve", role: "clinician", key: home + "/eve"),
            ]
            for person in people {
                try TestSSHD.keygen(person.key)
                let added = try await Chronoterm.run(
                    [
                        "people", "add", person.name, "--role", person.role, "--ssh-key", person.key + ".pub", "--authorized-keys",
                        authorized,
                    ],
                    environment: env)
                #expect(added.status == 0, "\(added.errors)")
            }
            sshd = try TestSSHD(authorizedKeys: authorized)
            let server = sshd!
            let hostile: [(typed: String, says: String)] = [
                ("~/.ssh/authorized_keys2", "Type a file name only"), ("../outside/authorized_keys2", "Type a file name only"),
                ("\(realHome)/.bash_profile", "Type a file name only"), (".bash_profile", "may not start with a dot"),
                ("keys", "already exists"),
            ]
            for person in people {
                let console = try await Tmux.start([], environment: [:], program: server.ssh(key: person.key, ["-tt"]))
                sessions.append(console)
                _ = try await console.waitFor("\(person.name)@desk", timeout: 60)
                try await console.findPatient(chartId)
                try await console.press("o")
                var screen = try await console.screen()
                for _ in 0..<10 where !screen.contains("Planted letter") {
                    try await console.press("]")
                    try await Task.sleep(for: .milliseconds(150))
                    screen = try await console.screen()
                }
                #expect(screen.contains("Planted letter"), "\(person.name): no Documents tab\n\(screen)")
                for (typed, says) in hostile {
                    try await console.press("Enter")
                    _ = try await console.waitFor("not-a-key AAAAplanted")
                    try await console.press("s")
                    _ = try await console.waitFor("Save as:")
                    try await console.type(typed)
                    try await console.press("Enter")
                    _ = try await console.waitFor(says)
                }
                // A plain name: the copy is in the folder, the account's alone.
                try await console.press("Enter")
                _ = try await console.waitFor("not-a-key AAAAplanted")
                try await console.press("s")
                try await console.type("\(person.name)-letter.pdf")
                try await console.press("Enter")
                _ = try await console.waitFor("Saved to \(documents)/\(person.name)-letter.pdf")
                let mode =
                    (try FileManager.default.attributesOfItem(atPath: "\(documents)/\(person.name)-letter.pdf")[.posixPermissions]
                    as? NSNumber)?.intValue
                #expect(mode == 0o600, "\(person.name)'s copy")
                if person.role == "front-desk" {
                    // Attaching reads the inbox only: no path, no link placed there.
                    for typed in ["../outside/secret.pdf", "\(outside)/secret.pdf", "card.pdf"] {
                        try await console.press("A")
                        _ = try await console.waitFor("From the inbox: \(inbox)")
                        try await console.type(typed)
                        try await console.press("Enter")
                        _ = try await console.waitFor("Nothing was attached: fix what is marked")
                        try await console.press("Escape")
                    }
                }
            }
            #expect(!FileManager.default.fileExists(atPath: outside + "/authorized_keys2"), "nothing through the link")
            for (path, was) in zip(dotFiles, existed) where !was {
                #expect(!FileManager.default.fileExists(atPath: path), "\(path) was written")
            }
            let queued = try await Chronoterm.runProgram([Chronoterm.binary.path, "queue"], environment: env)
            #expect(queued.output.contains("Nothing is queued"), "no attachment was queued: \(queued.output)")
        }
    }
}
