import DrChronoAPI
import DrChronoSandbox
import Foundation
import SandboxHarness
import Testing

/// The clinician's day, in the real binary in tmux against the sandbox.
@Suite("The clinician's day in a terminal", .serialized)
struct ClinicianJobsTests {
    @Test(
        "a clinician opens their day, sees a patient's abnormal lab flagged, reads the labs and the visit's vitals in the chart, and opens a PDF's text"
    )
    func myDayLabsVitalsDocument() async throws {
        // The real clock: "today" is the console's calendar day.
        try await withSandbox({ $0.startTime = nil }) { sandbox in
            let token = try await sandbox.token()
            // A patient whose last month's labs have a value out of range.
            let results = try await sandbox.all("/api/lab_results", token: token).rows
            let abnormal = try #require(results.first { ($0.string("abnormal_status") ?? "").isEmpty == false })
            let order = try #require(
                try await sandbox.send("GET", "/api/lab_orders/\(abnormal.string("lab_order") ?? "")", token: token).json?.objectValue)
            let patient = try #require(order.int("patient"))
            let doctor = try #require(order.int("doctor"))
            let record = try #require(try await sandbox.send("GET", "/api/patients/\(patient)", token: token).json?.objectValue)
            let name = "\(record.string("last_name") ?? ""), \(record.string("first_name") ?? "")"

            // Seen early today and roomed: the nurse took vitals.
            let today = LocalDateTime(Date(), in: RunningSandbox.practiceZone).dateString
            let booked = try await sandbox.send(
                "POST", "/api/appointments", token: token,
                json: [
                    "doctor": .int(doctor), "office": 1, "exam_room": 1, "patient": .int(patient), "duration": 30,
                    "scheduled_time": .string("\(today)T06:30:00"), "reason": "Lab follow-up", "allow_overlapping": true,
                ])
            let visit = try #require(booked.json?.objectValue?.string("id"), "\(booked.status)")
            #expect(try await sandbox.send("PATCH", "/api/appointments/\(visit)", token: token, json: ["status": "In Room"]).status == 204)
            // A scanned outside report on the chart.
            var upload = MultipartBody()
            upload.add(field: "patient", value: String(patient))
            upload.add(field: "doctor", value: String(doctor))
            upload.add(field: "description", value: "Outside cardiology letter")
            upload.add(field: "date", value: today)
            upload.add(
                file: "document", fileName: "letter.pdf", contentType: "application/pdf",
                contents: Data(SandboxPDF.page(["Cardiology consult letter", "Echocardiogram: ejection fraction 55 percent"])))
            let uploaded = try await sandbox.send(
                "POST", "/api/documents", token: token, body: upload.encoded, headers: [("Content-Type", upload.contentType)])
            #expect(uploaded.status == 201)

            let env = try await Chronoterm.loggedIn(to: sandbox)
            #expect(try await Chronoterm.run(["sync", "--once"], environment: env).status == 0)
            // A copy left by a console killed earlier (its process long gone).
            let cache = URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!).appendingPathComponent("chronoterm/profiles/desk/cache")
            let stale = cache.appendingPathComponent("documents-4194301")
            for folder in [cache, stale] {
                try FileManager.default.createDirectory(
                    at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            }
            #expect(
                FileManager.default.createFile(
                    atPath: stale.appendingPathComponent("1-old.pdf").path, contents: Data("%PDF-1.4 left behind".utf8),
                    attributes: [.posixPermissions: 0o600]))
            let tmux = try await Tmux.start([], environment: env)
            defer { tmux.kill() }
            _ = try await tmux.waitFor("Schedule")
            try await tmux.press("D")
            _ = try await tmux.waitFor("My day ")
            // The day's visits draw first; their lab flags follow from a read of their own.
            let day = try await tmux.waitFor("new result")
            let row = try #require(day.split(separator: "\n").first { $0.contains(name) }, "the patient in the day:\n\(day)")
            #expect(row.contains("6:30") && row.contains("In Room") && row.contains("new result") && row.contains("ABNORMAL"), "\(row)")

            // Enter on the visit: the chart; its labs, abnormal marked.
            try await tmux.press("Enter")
            _ = try await tmux.waitFor("abnormal)")
            try await tmux.press("]", "]", "]", "]")
            let labs = try await tmux.waitFor("Range")
            let flag = (abnormal.string("abnormal_status") ?? "") == "L" ? "LOW" : "HIGH"
            #expect(labs.contains(abnormal.string("test_performed") ?? "?") && labs.contains(flag), "\(labs)")

            // The visit's vitals, fetched for the chart with verbose=true.
            try await tmux.press("]")
            let vitals = try await tmux.waitFor("SpO2")
            let verbose = try #require(
                try await sandbox.send("GET", "/api/appointments/\(visit)", query: ["verbose": "true"], token: token).json?.objectValue?[
                    "vitals"]?.objectValue)
            let pressure = "\(verbose.int("blood_pressure_1") ?? 0)/\(verbose.int("blood_pressure_2") ?? 0)"
            _ = try await tmux.waitFor(pressure)
            #expect(vitals.contains("BP"))

            // The letter, newest of the documents, read from its PDF.
            try await tmux.press("]")
            _ = try await tmux.waitFor("Outside cardiology letter")
            try await tmux.press("Enter")
            _ = try await tmux.waitFor("Echocardiogram: ejection fraction 55 percent")
            // The copy is this console's own, readable by the profile's owner only; the
            // killed console's copy is gone.
            #expect(!FileManager.default.fileExists(atPath: stale.path), "a dead console's copies are swept")
            let folders = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("documents-") }
            let files = folders.flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent(folder).path)) ?? []).map {
                    cache.appendingPathComponent(folder).appendingPathComponent($0).path
                }
            }
            #expect(files.count == 1 && files.allSatisfy { $0.hasSuffix("letter.pdf") }, "\(files)")
            let mode = (try FileManager.default.attributesOfItem(atPath: files[0])[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600)
        }
    }
}
