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
            keep the daemon running) first for an up-to-date sheet. Each visit: its time \
            and length, the patient with their date of birth and phone, the room, the \
            visit's status and reason. Breaks and visits that gave their time back \
            (cancelled, rescheduled, no-show) are left out. The sheet holds patients' \
            names: printing it is recorded in the audit trail, and the paper is PHI.

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

    @Option(
        name: .customLong("doctor"),
        help: "A doctor (id) to print; repeat for several (default: every doctor with visits). A wrong id lists the practice's doctors.")
    var doctors: [Int] = []

    @Option(help: "text (for paper) or csv (for a spreadsheet).")
    var format: Format = .text

    @Option(
        help: ArgumentHelp(
            "Print it as this person of the practice sees it: a person of a grant sees that office's doctors alone.",
            valueName: "name"))
    var person: String?

    func run() async throws {
        let directory = profileOptions.directory
        guard FileManager.default.fileExists(atPath: MirrorDatabase.file(in: directory)) else {
            throw ValidationError("Profile '\(directory.name)' has no local copy yet: run chronoterm sync first.")
        }
        var sight: MirrorSight?
        if let person {
            guard let someone = try PracticePeople.load(from: directory)[person] else {
                throw ValidationError("--person \(person): not one of this practice's people (chronoterm people list).")
            }
            sight = try profileOptions.open().sight(of: someone)
        }
        let mirror = try MirrorDatabase.open(in: directory, sight: sight)
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
        if let unknown = wanted.first(where: { id in !everyone.contains { $0.id == id } }) {
            let list = everyone.map { "\($0.id) \($0.fullName)" }.joined(separator: ", ")
            throw ValidationError("--doctor \(unknown): no such doctor in this practice. Its doctors: \(list).")
        }
        let patients = Set(visits.compactMap(\.patient))
        let (details, rooms) = try await mirror.pool.read { db in
            let phones = try MirrorQueries.phones(db, patients: patients)
            var details: [Int: DaySheet.PatientDetails] = [:]
            for id in patients {
                let born = try MirrorQueries.patient(db, id: id)?.dateOfBirth.flatMap(LocalDateTime.init)
                details[id] = DaySheet.PatientDetails(
                    born: born.map(\.usDate) ?? "", phone: phones[id]?.first ?? "")
            }
            var rooms: [String: String] = [:]
            for office in try MirrorQueries.offices(db) {
                for room in office.examRooms { rooms["\(office.id)/\(room.index)"] = room.name }
            }
            return (details, rooms)
        }
        var sheet = DaySheet(day: day, visits: visits, patientNames: names, doctors: everyone, only: wanted)
        (sheet.details, sheet.rooms) = (details, rooms)
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
    /// Each patient's date of birth and first phone, as the desk reads them.
    var details: [Int: PatientDetails] = [:]
    /// Exam rooms' names by "office/index".
    var rooms: [String: String] = [:]

    struct PatientDetails: Equatable {
        var born: String
        var phone: String
    }

    func room(of visit: Appointment) -> String {
        guard let office = visit.office, let index = visit.examRoom else { return "" }
        return rooms["\(office)/\(index)"] ?? "Room \(index)"
    }

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
                let patient = visit.patient.flatMap { patientNames[$0] } ?? "—"
                let detail = visit.patient.flatMap { details[$0] }
                // Each column by display width, cut with an ellipsis, two spaces between.
                let columns = [
                    (visit.scheduledTime?.clock ?? "", 8), ("\(visit.duration) min", 7), (patient, 26), (detail?.born ?? "", 10),
                    (detail?.phone ?? "", 14), (room(of: visit), 10), (visit.statusLabel, 13),
                ].map { TerminalText.column($0, width: $1) }
                lines.append("  " + (columns + [Self.clean(visit.reason)]).joined(separator: "  "))
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
        var lines = ["date,time,minutes,doctor,patient,born,phone,room,reason,status"]
        for (name, visits) in byDoctor {
            for visit in visits {
                lines.append(
                    [
                        day.dateString, visit.scheduledTime?.clock ?? "", String(visit.duration), name,
                        visit.patient.flatMap { patientNames[$0] } ?? "", visit.patient.flatMap { details[$0]?.born } ?? "",
                        visit.patient.flatMap { details[$0]?.phone } ?? "", room(of: visit), visit.reason,
                        visit.statusLabel,
                    ].map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
