import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// The real binary in tmux against the sandbox, used as a person uses it: the screen is
/// what is checked, and then the sandbox, which must have received each write once.
@Suite("The console in a terminal", .serialized)
struct ConsoleEndToEndTests {
    @Test("book an appointment, check the patient in, add a line item, find a patient and read a note")
    func frontDeskDay() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let synced = try await Chronoterm.run(["sync", "--once"], environment: env)
            #expect(synced.status == 0, "\(synced.errors)")
            // A patient with a clinical note, found by chart id (unique, unlike names).
            let token = try await sandbox.token()
            let notes = try await sandbox.all("/api/clinical_notes", token: token).rows
            let patientId = try unwrap(notes.compactMap { $0.int("patient") }.first, "a note with a patient")
            let patient = try unwrap(
                try await sandbox.all("/api/patients", token: token).rows.first { $0.int("id") == patientId }, "the patient")
            let chartId = try unwrap(patient.string("chart_id"), "a chart id")
            let lastName = try unwrap(patient.string("last_name"), "a last name")

            let tmux = try await Tmux.start(["--date", "2027-01-05"], environment: env)
            defer { tmux.kill() }
            var screen = try await tmux.waitFor("Tuesday 1/5/2027")
            #expect(screen.contains("Free · 8:00 am"), "the cursor starts on the day's first slot:\n\(screen)")

            // Book: b on the empty first slot, the patient by chart id, Enter, Enter.
            try await tmux.press("b")
            _ = try await tmux.waitFor("type the patient's name")
            try await tmux.type(chartId)
            _ = try await tmux.waitFor("Search: \(chartId)_")
            _ = try await tmux.waitFor("1 found")
            try await tmux.press("Enter")
            _ = try await tmux.waitFor("Enter book")
            try await tmux.press("Tab", "Tab")  // past the visit type and the duration
            try await tmux.type("Follow-up")
            try await tmux.press("Enter")
            screen = try await tmux.waitFor("queued for DrChrono")
            #expect(screen.contains(lastName))
            let booked = try await eventually("the booking at the sandbox") {
                try await sandbox.all("/api/appointments", query: ["date": "2027-01-05"], token: token).rows.filter {
                    $0.int("patient") == patientId
                }
            } until: {
                $0.count == 1
            }
            let appointmentId = try unwrap(booked.first?.string("id"), "the booked appointment's id")
            #expect(booked.first?.string("reason") == "Follow-up")

            // Check in.
            try await tmux.press("c")
            _ = try await tmux.waitFor("Checked In — queued")
            _ = try await eventually("the check-in at the sandbox") {
                try await sandbox.all("/api/appointments", query: ["date": "2027-01-05"], token: token).rows.first {
                    $0.string("id") == appointmentId
                }?.string("status")
            } until: {
                $0 == "Checked In"
            }

            // Billing: $, a, the line item, Enter.
            try await tmux.press("$")
            _ = try await tmux.waitFor("No line items yet")
            try await tmux.addLineItem()
            screen = try await tmux.waitFor("Total $100.00 for 1 line item")
            #expect(screen.contains("99213"))
            let items = try await eventually("the line item at the sandbox") {
                try await sandbox.all("/api/line_items", query: ["appointment": appointmentId], token: token).rows
            } until: {
                $0.count == 1
            }
            #expect(items.first?.string("code") == "99213")
            #expect(items.first?.strings("diagnosis_pointers") == ["I10"])

            // Find the patient and read the note.
            try await tmux.press("/")
            try await tmux.type(chartId)
            _ = try await tmux.waitFor("Search: \(chartId)_")
            _ = try await tmux.waitFor("1 found")
            try await tmux.press("Enter")
            screen = try await tmux.waitFor("Visit ")
            #expect(screen.contains("chart \(chartId)"))
            #expect(screen.contains("Locked (signed)") || screen.contains("Unlocked (draft)"))

            // Nothing is queued any more: q quits at once.
            _ = try await tmux.waitUntil("the queue to empty") { $0.contains("nothing queued") }
            try await tmux.press("q")
            _ = try await tmux.waitUntil("chronoterm to exit") { !$0.contains("help") }
            #expect(
                try await sandbox.all("/api/appointments", query: ["date": "2027-01-05"], token: token).rows.count == 1,
                "booked exactly once")

            // The audit trail has it all, by id, and verifies.
            let trail = try await Chronoterm.run(["audit", "--patient", String(patientId)], environment: env)
            #expect(trail.status == 0, "\(trail.errors)")
            for event in ["write.queued", "write.confirmed", "billing.open", "chart.open", "note.open"] {
                #expect(trail.output.contains(event), "the trail records \(event):\n\(trail.output)")
            }
            #expect(trail.output.contains("appointment.create #1"))
            #expect(!trail.output.contains(lastName), "no names in the trail")
            let verified = try await Chronoterm.run(["audit", "--verify"], environment: env)
            #expect(verified.status == 0)
            #expect(verified.output.contains("The audit trail is intact"))
            let csv = try await Chronoterm.run(["audit", "--csv", "--since", "T-1"], environment: env)
            #expect(
                csv.output.hasPrefix(
                    "seq,at (UTC),computer account,DrChrono user,person,event,patient,appointment,reference,outcome,came with\n"))
            #expect(csv.output.contains(",login,"))
        }
    }

    @Test("? shows the pane's help; too small a window says so; vt100 and --ascii draw ASCII, LANG=C over SSH still UTF-8")
    func terminals() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await Chronoterm.run(["sync", "--once"], environment: env)
            for term in ["xterm-256color", "screen-256color", "tmux-256color", "linux"] {
                let tmux = try await Tmux.start(["--date", "2026-03-04"], environment: env.merging(["TERM": term]) { $1 })
                defer { tmux.kill() }
                // A frame reaches tmux in pieces: each check waits for the whole of what it reads.
                var screen = try await tmux.waitUntil("\(term) to draw the day with box lines") {
                    $0.contains("Wednesday 3/4/2026") && $0.contains("│")
                }
                #expect(screen.contains("│"), "\(term) draws box lines")
                try await tmux.press("?")
                screen = try await tmux.waitUntil("the schedule's help") {
                    $0.contains("Help — Schedule") && $0.contains("check the patient in")
                }
                #expect(screen.contains("check the patient in"))
                try await tmux.press("Escape", "2")
                _ = try await tmux.waitFor("Search:")
                try await tmux.resize(width: 50, height: 12)
                _ = try await tmux.waitFor("too small")
                try await tmux.resize(width: 120, height: 40)
                _ = try await tmux.waitFor("Search:")
            }
            // A vt100, or ASCII asked for, is drawn in ASCII whatever the locale.
            for (term, lang, arguments) in [("vt100", "C.UTF-8", []), ("xterm-256color", "C.UTF-8", ["--ascii"])] {
                let tmux = try await Tmux.start(
                    ["--date", "2026-03-04"] + arguments, environment: env.merging(["TERM": term, "LANG": lang, "LC_ALL": lang]) { $1 })
                defer { tmux.kill() }
                let screen = try await tmux.waitUntil("\(term) \(arguments) to draw the day and its borders") {
                    $0.contains("Wednesday 3/4/2026") && ($0.contains("|") || $0.contains("│"))
                }
                #expect(!screen.contains("│") && screen.contains("|"), "\(term) \(arguments) draws ASCII:\n\(screen)")
                #expect(screen.unicodeScalars.allSatisfy { $0.isASCII })
            }
            // An SSH client that sends no UTF-8 locale (LANG=C, or none): a terminal that can
            // show UTF-8 is drawn in UTF-8 all the same, names and borders whole.
            for lang in ["C", ""] {
                let tmux = try await Tmux.start(
                    ["--date", "2026-03-04"], environment: env.merging(["TERM": "xterm-256color", "LANG": lang, "LC_ALL": lang]) { $1 })
                defer { tmux.kill() }
                let screen = try await tmux.waitUntil("LANG=\(lang) to draw the day in UTF-8") {
                    $0.contains("Wednesday 3/4/2026") && $0.contains("│")
                }
                #expect(!screen.contains("??"), "no name turned to question marks:\n\(screen)")
            }
        }
    }

    @Test("when DrChrono cannot be reached the status bar says so, and the console keeps working")
    func offline() async throws {
        var env: [String: String] = [:]
        var tmux: Tmux?
        try await withSandbox { sandbox in
            env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await Chronoterm.run(["sync", "--once"], environment: env)
            tmux = try await Tmux.start(["--date", "2026-03-04"], environment: env)
            _ = try await tmux!.waitForSynced()
        }
        let console = try unwrap(tmux, "the console")
        defer { console.kill() }
        // Just synced, :sync says the copy is fresh rather than spend the practice's
        // requests; the next pass finds DrChrono gone and the status bar says so.
        try await console.press(":")
        try await console.type("sync")
        try await console.press("Enter")
        _ = try await console.waitFor("OFFLINE — DrChrono unreachable", timeout: 120)
        try await console.press("l", "c")
        let screen = try await console.waitFor("1 queued")
        #expect(screen.contains("Checked In — queued"))
    }

    @Test("an idle console locks: the screen shows nothing of the practice until the passphrase is typed")
    func idleLock() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-lock-test-\(UUID().uuidString)")
        let tmux = try await Tmux.start(
            ["demo", "--size", "small", "--lock-after-minutes", "0.05"], environment: ["XDG_CONFIG_HOME": home.path])
        defer { tmux.kill() }
        _ = try await tmux.waitFor("? help", timeout: 120)
        var screen = try await tmux.waitFor("chronoterm is locked", timeout: 30)
        #expect(!screen.contains("Dr. "), "nothing of the schedule shows:\n\(screen)")
        try await tmux.type("guess")
        try await tmux.press("Enter")
        screen = try await tmux.waitFor("That is not this profile's passphrase.")
        #expect(screen.contains("chronoterm is locked"))
        // A wrong try makes the next wait a second before it is checked.
        try await Task.sleep(for: .milliseconds(1_200))
        try await tmux.type("demo")
        _ = try await tmux.waitFor("****_")
        try await tmux.press("Enter")
        screen = try await tmux.waitFor("? help")
        #expect(screen.contains("Dr. "))
    }

    @Test("chronoterm keys lists the actions with their keys, and names a bad keys.toml's line")
    func keys() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-keys-\(UUID().uuidString)")
        let listed = try await Chronoterm.run(["keys"], environment: ["XDG_CONFIG_HOME": home.path])
        #expect(listed.status == 0)
        #expect(listed.output.contains("[schedule]"))
        #expect(listed.output.contains("  check-in            c"))
        try FileManager.default.createDirectory(at: home.appendingPathComponent("chronoterm"), withIntermediateDirectories: true)
        try "[schedule]\nbook = \"c\"\n".write(to: home.appendingPathComponent("chronoterm/keys.toml"), atomically: true, encoding: .utf8)
        let refused = try await Chronoterm.run(["keys"], environment: ["XDG_CONFIG_HOME": home.path])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("keys.toml:2: 'c' already does check-in in [schedule]"))
    }

    @Test("with no profile, chronoterm says how to log in or try the demo")
    func noProfile() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-none-\(UUID().uuidString)")
        let result = try await Chronoterm.run([], environment: ["XDG_CONFIG_HOME": home.path])
        #expect(result.status != 0)
        #expect(result.errors.contains("chronoterm login"))
        #expect(result.errors.contains("chronoterm demo"))
    }

    @Test("chronoterm demo loads an invented practice and opens the console on it")
    func demo() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-demo-test-\(UUID().uuidString)")
        let tmux = try await Tmux.start(["demo", "--size", "small"], environment: ["XDG_CONFIG_HOME": home.path])
        defer { tmux.kill() }
        _ = try await tmux.waitFor("? help", timeout: 120)
        try await tmux.press("?")
        _ = try await tmux.waitFor("Help — Schedule")
        try await tmux.press("Escape", "/")
        try await tmux.type("a")
        _ = try await tmux.waitFor("found")
        try await tmux.press("Escape", "q")
        _ = try await tmux.waitUntil("the demo to exit") { !$0.contains("? help") }
    }

    @Test("the billing demo is signed in as a biller, and says so in the status bar")
    func billingDemo() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-demo-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try await Tmux.start(["demo", "--size", "small", "--role", "billing"], environment: ["XDG_CONFIG_HOME": home.path])
        defer { tmux.kill() }
        let screen = try await tmux.waitUntil(timeout: 120, "the billing demo's status bar to name its user") {
            $0.contains("? help") && $0.contains("demo · billing1")
        }
        #expect(!screen.contains("frontdesk"), "\(screen)")
        try await tmux.press("q")
        _ = try await tmux.waitUntil("the demo to exit") { !$0.contains("? help") }
    }
}

/// Asks `read` until `condition` holds (a write reaches the sandbox in the background).
func eventually<T: Sendable>(_ what: String, timeout: TimeInterval = 30, _ read: () async throws -> T, until condition: (T) -> Bool)
    async throws -> T
{
    let deadline = Date().addingTimeInterval(timeout)
    var last = try await read()
    while !condition(last) {
        guard Date() < deadline else { throw TmuxTimeout(description: "Waited \(Int(timeout)) s for \(what); last saw \(last)") }
        try await Task.sleep(for: .milliseconds(200))
        last = try await read()
    }
    return last
}
