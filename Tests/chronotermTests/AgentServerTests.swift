import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// `chronoterm mcp` driven by a client nobody here wrote: the official Python MCP SDK,
/// in the private environment `make test-deps` makes (.build/test-venv).
enum Agent {
    static var python: String {
        Chronoterm.binary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("test-venv/bin/python").path
    }

    static var client: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Agent/mcp_client.py").path
    }

    /// Runs `plan` in one MCP session with `chronoterm mcp` and `options`: what each step answered.
    static func session(_ plan: [JSONValue], options: [String] = [], environment: [String: String]) async throws -> [JSONObject] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw AgentError(description: "The MCP tests need the Python MCP SDK: run make test-deps (it makes .build/test-venv).")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-mcp-plan-\(UUID().uuidString).json")
        try JSONValue.array(plan).serialized.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let ran = try await Chronoterm.runProgram(
            [python, client, file.path, "--", Chronoterm.binary.path, "mcp"] + options, environment: environment)
        guard ran.status == 0, let steps = (try? JSONValue.parse(Data(ran.output.utf8)))?.arrayValue else {
            throw AgentError(description: "the MCP client failed (\(ran.status)):\n\(ran.errors.suffix(3000))")
        }
        return steps.compactMap(\.objectValue)
    }

    static func call(_ name: String, _ arguments: JSONObject = [:]) -> JSONValue {
        .object(["op": "call", "name": .string(name), "arguments": .object(arguments)])
    }

    struct AgentError: Error, CustomStringConvertible { var description: String }
}

extension JSONObject {
    /// A call step's structured answer.
    var answer: JSONObject { self["structured"]?.objectValue ?? [:] }
    var failed: Bool { self.bool("is_error") ?? false }
}

@Suite("An AI agent over MCP")
struct AgentServerTests {
    @Test(
        "every read tool answers from the local copy at no request; book is previewed, then confirmed once, and reaches DrChrono once"
    )
    func readsAndBooking() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let token = try await sandbox.token()
            let visit = try await BillerJobsTests.visit(sandbox, patient: 10007, token: token)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let requestsBefore = try await sandbox.adminJSON("requests").int("total")
            let writesBefore = try await FrontDeskJobsTests.writes(sandbox).count

            let steps = try await Agent.session(
                [
                    ["op": "list_tools"],
                    Agent.call("schedule", ["day": "2027-01-05"]),
                    Agent.call("search_patients", ["query": "a"]),
                    Agent.call("patient_summary", ["patient": 10007]),
                    Agent.call("visit", ["appointment": .string(visit)]),
                    Agent.call("clinical_note", ["patient": 10007]),
                    Agent.call("confirmation_list", ["day": "2027-01-05"]),
                    Agent.call("day_totals", ["day": "2027-01-05"]),
                    Agent.call("free_slots", ["doctor": "101", "minutes": 30, "from": "2027-01-05"]),
                    Agent.call("copy_state"),
                    ["op": "read", "uri": "chronoterm://patient/10007"],
                    Agent.call("book", ["patient": 10007, "doctor": "101", "start": "2027-01-05T14:00", "minutes": 30, "reason": "Agent"]),
                    Agent.call("confirm", ["token": "$token"]),
                    Agent.call("confirm", ["token": "$token"]),
                    Agent.call("write_queue"),
                ], environment: env)
            // Reads cost DrChrono nothing.
            #expect(try await sandbox.adminJSON("requests").int("total") == requestsBefore, "no read reached DrChrono")

            let tools = (steps[1]["tools"]?.arrayValue ?? []).compactMap(\.objectValue)
            let names = Set(tools.compactMap { $0.string("name") })
            #expect(names.isSuperset(of: ["schedule", "book", "confirm", "cancel_write", "take_payment"]), "\(names)")
            #expect(!names.contains("clinical_note"), "the front desk reads no clinical notes through an agent")
            let schedule = tools.first { $0.string("name") == "schedule" }
            #expect(schedule?.bool("read_only") == true && schedule?.bool("open_world") == false)
            #expect(tools.first { $0.string("name") == "cancel" }?.bool("destructive") == true)

            let reads = steps[2...10]
            for step in reads { #expect(!step.failed || step.string("name") == "clinical_note", "\(step)") }
            #expect(steps[2].answer["visits"]?.arrayValue?.contains { $0.objectValue?.string("appointment") == visit } == true)
            #expect((steps[3].answer["patients"]?.arrayValue?.count ?? 0) <= 20)
            #expect(steps[4].answer.string("name")?.isEmpty == false && steps[4].answer["problems"] != nil)
            #expect(steps[5].answer.string("appointment") == visit && steps[5].answer["charges"] != nil)
            #expect(steps[6].failed, "clinical_note is not the front desk's")
            #expect((steps[9].answer["slots"]?.arrayValue?.count ?? 0) > 0)
            #expect(steps[10].answer["queued"]?.intValue == 0)
            #expect(steps[11]["texts"]?.arrayValue?.first?.stringValue?.contains("10007") == true)

            let preview = steps[12]
            #expect(!preview.failed && preview.answer.string("would")?.hasPrefix("Book ") == true, "\(preview)")
            #expect(try await FrontDeskJobsTests.writes(sandbox).count == writesBefore, "a preview sends nothing")
            #expect(!steps[13].failed && steps[13].answer.string("queued") != nil, "\(steps[13])")
            #expect(steps[14].failed && steps[14].text.contains("used already"), "a token queues its job once")
            #expect(steps[15].answer["count"]?.intValue == 1)

            // The practice's sync sends it: exactly one visit at DrChrono.
            #expect(try await Chronoterm.run(["queue", "--push"], environment: env).status == 0)
            let posts = try await FrontDeskJobsTests.writes(sandbox).dropFirst(writesBefore).filter {
                $0.string("method") == "POST" && $0.string("path") == "/api/appointments"
            }
            #expect(posts.count == 1, "\(posts)")
            let trail = try await Chronoterm.run(["audit"], environment: env)
            #expect(trail.output.contains("tool.call"), "each call is in the audit trail")
            #expect(!trail.output.contains("Agent"), "the trail holds no argument")
        }
    }
}

extension JSONObject {
    fileprivate var text: String { self.string("text") ?? "" }
}

extension AgentServerTests {
    @Test(
        "over the real sshd with the agent key's forced command: a clinician's agent is offered no booking, is refused one, reads notes; fifty concurrent large answers come back whole"
    )
    func agentOverSSH() async throws {
        var sshd: TestSSHD?
        defer { sshd?.stop() }
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let home = env["XDG_CONFIG_HOME"]!
            let authorized = home + "/authorized_keys"
            try TestSSHD.keygen(home + "/agent")
            let added = try await Chronoterm.run(
                [
                    "people", "add", "drwho", "--role", "clinician", "--doctor", "101", "--mcp-key", home + "/agent.pub",
                    "--authorized-keys", authorized,
                ],
                environment: env)
            #expect(added.status == 0, "\(added.errors)")
            let keys = try String(contentsOfFile: authorized, encoding: .utf8)
            #expect(keys.contains(" mcp --profile desk --person drwho --key SHA256:") && keys.contains(",restrict ssh-ed25519"), "\(keys)")
            #expect(!keys.contains("restrict,pty"), "no terminal for an agent")
            sshd = try TestSSHD(authorizedKeys: authorized)
            let ssh = try #require(sshd).ssh(key: home + "/agent", ["-T"])

            // The sandbox practice's own today: a full day of visits.
            let today = LocalDateTime(try await sandbox.now(), in: .current).dateString
            let plan: [JSONValue] = [
                ["op": "list_tools"],
                Agent.call("book", ["patient": 10007, "doctor": "101", "start": "2027-01-05T14:00"]),
                Agent.call("clinical_note", ["patient": 10007]),
                ["op": "concurrent", "count": 50, "name": "schedule", "arguments": ["day": .string(today)]],
            ]
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-mcp-plan-\(UUID().uuidString).json")
            try JSONValue.array(plan).serialized.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let ran = try await Chronoterm.runProgram([Agent.python, Agent.client, file.path, "--"] + ssh, environment: [:])
            #expect(ran.status == 0, "\(ran.errors.suffix(2000))")
            let steps = (try? JSONValue.parse(Data(ran.output.utf8)))?.arrayValue?.compactMap(\.objectValue) ?? []
            try #require(steps.count == 5, "\(ran.output.prefix(2000))")
            let names = Set((steps[1]["tools"]?.arrayValue ?? []).compactMap { $0.objectValue?.string("name") })
            #expect(names.contains("clinical_note") && !names.contains("book") && !names.contains("confirm"), "\(names)")
            #expect(steps[2].failed && steps[2].text.contains("clinician role may not book"), "\(steps[2])")
            #expect(!steps[3].failed || steps[3].text.contains("not in the practice's local copy"), "\(steps[3])")
            let answers = (steps[4]["answers"]?.arrayValue ?? []).compactMap(\.objectValue)
            #expect(answers.count == 50)
            let first = answers.first?.text ?? ""
            #expect(first.count > 1_000, "a large answer: \(first.count) characters")
            #expect(answers.allSatisfy { !$0.failed && $0.text == first }, "each answer whole and the same")
            #expect(try await FrontDeskJobsTests.writes(sandbox).isEmpty, "nothing was written")
        }
    }

    @Test("--read-only offers no write at all, and refuses one by name; the server ends when its input closes")
    func readOnly() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let steps = try await Agent.session(
                [["op": "list_tools"], Agent.call("cancel", ["appointment": "1"]), Agent.call("copy_state")], options: ["--read-only"],
                environment: env)
            let tools = (steps[1]["tools"]?.arrayValue ?? []).compactMap(\.objectValue)
            #expect(!tools.isEmpty && tools.allSatisfy { $0.bool("read_only") == true }, "\(tools)")
            #expect(steps[2].failed && steps[2].text.contains("read-only"))
            #expect(!steps[3].failed)
            // Its input closed (the agent gone, the connection dropped), the server ends by itself.
            let ended = try await Chronoterm.runProgram(["/usr/bin/timeout", "20", Chronoterm.binary.path, "mcp"], environment: env)
            #expect(ended.status == 0, "exit \(ended.status) (124: still running after 20 s): \(ended.errors)")
        }
    }
}

extension AgentServerTests {
    @Test("a client that can ask its person: the job is put to them (MCP elicitation); their yes queues it, their no queues nothing")
    func elicitation() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            let visit: JSONObject = ["patient": 10007, "doctor": "101", "start": "2027-01-05T15:00", "minutes": 30]
            let yes = try await Agent.session(
                [["op": "elicitation", "answer": true], Agent.call("book", visit), Agent.call("write_queue")], environment: env)
            #expect(yes[1]["asked"]?.arrayValue?.first?.stringValue?.hasPrefix("Book ") == true, "\(yes[1])")
            #expect(!yes[1].failed && yes[1].answer.string("queued") != nil, "\(yes[1])")
            #expect(yes[2].answer["count"]?.intValue == 1)
            let no = try await Agent.session(
                [
                    ["op": "elicitation", "answer": false],
                    Agent.call("book", ["patient": 10007, "doctor": "101", "start": "2027-01-05T16:00", "minutes": 30]),
                    Agent.call("write_queue"),
                ], environment: env)
            #expect(no[1]["asked"]?.arrayValue?.isEmpty == false && no[1].answer.string("declined") != nil, "\(no[1])")
            #expect(no[2].answer["count"]?.intValue == 1, "nothing more was queued")
        }
    }
}
