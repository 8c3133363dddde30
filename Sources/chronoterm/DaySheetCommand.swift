import ArgumentParser
import Console
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Terminal

/// `chronoterm day-sheet`: a day's schedule per doctor, for paper or a spreadsheet, from
/// the mirror (no request to DrChrono).
struct DaySheetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "day-sheet",
        abstract: "Print a day's schedule, doctor by doctor (tomorrow's unless --date says otherwise).",
        discussion: """
            Read from this profile's local copy of the practice: run chronoterm sync (or \
            keep the daemon running) first for an up-to-date sheet. Breaks and cancelled \
            visits are left out. The sheet holds patients' names: printing it is recorded \
            in the audit trail, and the paper is PHI.

            Examples:
              chronoterm day-sheet | lpr
              chronoterm day-sheet --date T --doctor 101
              chronoterm day-sheet --date 2026-03-05 --format csv > tomorrow.csv
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, csv
    }

    @OptionGroup var profileOptions: ProfileOptions

    @Option(help: "The day: T (today), T+1, T-1W, 12/3 or 2026-12-03.")
    var date = "T+1"

    @Option(name: .customLong("doctor"), help: "A doctor (id) to print; repeat for several (default: every doctor with visits).")
    var doctors: [Int] = []

    @Option(help: "text (for paper) or csv (for a spreadsheet).")
    var format: Format = .text

    func run() async throws {
        let directory = profileOptions.directory
        guard FileManager.default.fileExists(atPath: MirrorDatabase.file(in: directory)) else {
            throw ValidationError("Profile '\(directory.name)' has no local copy yet: run chronoterm sync first.")
        }
        let mirror = try MirrorDatabase.open(in: directory)
        let zone = try await mirror.pool.read { db in try MirrorQueries.practiceTimeZone(db) } ?? .current
        let today = LocalDateTime(Date(), in: zone).startOfDay
        let day: LocalDateTime
        do { day = try DateExpression(date).resolve(today: today) } catch { throw ValidationError("--date \(date): \(error)") }
        let wanted = doctors
        let (visits, names, everyone) = try await mirror.pool.read { db in
            let visits = try MirrorQueries.daySchedule(db, day: day.dateString, doctors: wanted.isEmpty ? nil : wanted)
                .filter { !$0.isBreak && $0.holdsTime }
            return (visits, try MirrorQueries.patientNames(db, ids: Set(visits.compactMap(\.patient))), try MirrorQueries.doctors(db))
        }
        let sheet = DaySheet(day: day, visits: visits, patientNames: names, doctors: everyone, only: wanted)
        // Recorded before it is printed (as the console records an opening): a mirror
        // that cannot be written says so on standard error, and the sheet still prints.
        do {
            try await mirror.pool.write { db in
                try AuditTrail.record(AuditTrail.Event(.daySheetPrint, outcome: "\(day.dateString), \(visits.count) visits"), in: db)
            }
        } catch {
            FileHandle.standardError.write(
                Data("The audit trail could not record this sheet: \(MirrorProblem(error, path: mirror.path).banner)\n".utf8))
        }
        print(format == .csv ? sheet.csv : sheet.text, terminator: "")
    }
}

/// A day's visits laid out per doctor: pure, so tests read it without a terminal.
struct DaySheet {
    var day: LocalDateTime
    var visits: [Appointment]
    var patientNames: [Int: String]
    var doctors: [Doctor]
    /// Doctors asked for by id (every one with visits when empty).
    var only: [Int]

    /// Every byte from DrChrono is untrusted: no control character reaches the paper or a terminal.
    static func clean(_ text: String) -> String { TerminalText.sanitized(text) }

    var byDoctor: [(name: String, visits: [Appointment])] {
        let ids = only.isEmpty ? doctors.map(\.id).filter { id in visits.contains { $0.doctor == id } } : only
        return ids.map { id in
            let doctor = doctors.first { $0.id == id }
            let name = doctor.map(\.fullName) ?? "Doctor \(id)"
            // The mirror answers the day in scheduled order.
            return (Self.clean(name), visits.filter { $0.doctor == id })
        }
    }

    var title: String {
        let names = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        return "\(names[day.weekday]) \(day.month)/\(day.day)/\(day.year)"
    }

    var text: String {
        var lines: [String] = []
        for (name, visits) in byDoctor {
            lines.append("\(name) — \(title) — \(visits.count) \(visits.count == 1 ? "visit" : "visits")")
            for visit in visits {
                let time = (visit.scheduledTime?.clock ?? "").padding(toLength: 10, withPad: " ", startingAt: 0)
                let minutes = "\(visit.duration) min".padding(toLength: 8, withPad: " ", startingAt: 0)
                let patient = Self.clean(visit.patient.flatMap { patientNames[$0] } ?? "—")
                let column = patient.count < 28 ? patient.padding(toLength: 28, withPad: " ", startingAt: 0) : patient + "  "
                lines.append("  \(time)\(minutes)\(column)\(Self.clean(visit.reason))")
            }
            lines.append("")
        }
        if lines.isEmpty { lines = ["No visits on \(title).", ""] }
        return lines.joined(separator: "\n")
    }

    var csv: String {
        func field(_ text: String) -> String {
            let clean = Self.clean(text)
            // A leading = + - @ would be read as a formula by a spreadsheet.
            let safe = clean.first.map { "=+-@".contains($0) } == true ? "'" + clean : clean
            return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var lines = ["date,time,minutes,doctor,patient,reason,status"]
        for (name, visits) in byDoctor {
            for visit in visits {
                lines.append(
                    [
                        day.dateString, visit.scheduledTime?.clock ?? "", String(visit.duration), name,
                        visit.patient.flatMap { patientNames[$0] } ?? "", visit.reason, visit.status,
                    ].map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
