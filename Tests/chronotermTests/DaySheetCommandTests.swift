import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// `chronoterm day-sheet`: the day's schedule on paper or in a spreadsheet.
@Suite("The day sheet")
struct DaySheetCommandTests {
    @Test("a day's visits per doctor, as text and as CSV, matching DrChrono's day; no control character or formula gets through")
    func daySheet() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            let token = try await sandbox.token()
            let day = try await sandbox.all("/api/appointments", query: ["date": "2026-03-05"], token: token).rows.filter {
                $0["appt_is_break"] != .bool(true) && $0.string("status") != "Cancelled"
            }
            let doctor = try #require(day.compactMap { $0.int("doctor") }.first)
            let theirs = day.filter { $0.int("doctor") == doctor }
            // A hostile reason, as anything typed in DrChrono's web app may be.
            let target = try #require(theirs.first?.string("id"))
            _ = try await sandbox.admin("PATCH", "records/appointments/\(target)", ["reason": "=HYPERLINK(\"x\")\u{1B}[2J"])
            _ = try await Chronoterm.run(["sync", "--once"], environment: env)

            let text = try await Chronoterm.run(["day-sheet", "--date", "2026-03-05", "--doctor", String(doctor)], environment: env)
            #expect(text.status == 0, "\(text.errors)")
            let header = try #require(text.output.split(separator: "\n").first)
            #expect(header.contains("Thursday 3/5/2026 — \(theirs.count) visit"), "\(header)")
            #expect(!text.output.contains("\u{1B}"), "no escape reaches the paper")
            // Each visit with what the desk needs at the door: the patient's birth date and
            // phone, the room and the status — from DrChrono's own records.
            let first = try #require(theirs.first { $0.int("patient") != nil })
            let patient = try #require(
                try await sandbox.send("GET", "/api/patients/\(first.int("patient")!)", token: token).json?.objectValue)
            let born = try #require(patient.dateTime("date_of_birth"))
            let line = try #require(
                text.output.split(separator: "\n").first {
                    $0.contains(patient.string("last_name") ?? "?") && $0.contains("\(born.month)/\(born.day)/\(born.year)")
                },
                "the patient with their birth date:\n\(text.output)")
            #expect(line.contains("Exam") || line.contains("Room"), "the room: \(line)")
            let status = first.string("status") ?? ""
            #expect(line.contains(status.isEmpty ? "Booked" : status), "the status: \(line)")

            let csv = try await Chronoterm.run(
                ["day-sheet", "--date", "2026-03-05", "--doctor", String(doctor), "--format", "csv"], environment: env)
            let rows = csv.output.split(separator: "\n")
            #expect(rows.first == "date,time,minutes,doctor,patient,born,phone,room,reason,status")
            #expect(rows.count == theirs.count + 1, "\(rows.count - 1) rows for \(theirs.count) visits")
            #expect(rows.contains { $0.contains("\"'=HYPERLINK(\"\"x\"\")") }, "a formula is quoted as text:\n\(csv.output)")
            #expect(!csv.output.contains("\u{1B}"))

            let nobody = try await Chronoterm.run(["day-sheet", "--date", "2026-03-05", "--doctor", "999"], environment: env)
            #expect(
                nobody.status != 0 && nobody.errors.contains("--doctor 999: no such doctor") && nobody.errors.contains("\(doctor) Dr. "),
                "a wrong doctor is named, with the practice's doctors: \(nobody.errors)")
            #expect(nobody.output.isEmpty, "no empty sheet is printed")
            let none = try await Chronoterm.run(["day-sheet", "--date", "nonsense"], environment: env)
            #expect(none.status != 0 && none.errors.contains("--date nonsense"), "\(none.errors)")
            let trail = try await Chronoterm.run(["audit", "--csv"], environment: env)
            #expect(trail.output.contains("day_sheet.print"), "printing PHI is recorded")
        }
    }
}
