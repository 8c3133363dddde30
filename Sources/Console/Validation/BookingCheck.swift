import Foundation
import GRDB
import Mirror

/// Checks a booking against the mirror before it is queued: what DrChrono would
/// refuse, and what a front desk should be asked about.
public enum BookingCheck {
    public static func problems(_ booking: Outbox.Booking, in db: Database, now: LocalDateTime) throws -> [WriteProblem] {
        var problems: [WriteProblem] = []
        let doctor = try Row.fetchOne(db, sql: "SELECT first_name, last_name FROM doctors WHERE id = ?", arguments: [booking.doctor])
        let doctorName = doctor.map { "Dr. \($0["last_name"] as String)" } ?? "The doctor"
        if doctor == nil { problems.append(.error("doctor", "Choose a doctor.")) }
        let office = try Row.fetchOne(db, sql: "SELECT name, start_time, end_time FROM offices WHERE id = ?", arguments: [booking.office])
        if office == nil { problems.append(.error("office", "Choose an office.")) }
        let room = try String.fetchOne(
            db, sql: "SELECT name FROM exam_rooms WHERE office_id = ? AND room_index = ?", arguments: [booking.office, booking.examRoom])
        if office != nil && room == nil {
            problems.append(.error("exam_room", "\(office!["name"] as String) has no exam room \(booking.examRoom)."))
        }
        if try MirrorQueries.patient(db, id: booking.patient) == nil { problems.append(.error("patient", "Choose a patient.")) }
        if !(5...480).contains(booking.duration) { problems.append(.error("duration", "A visit lasts from 5 minutes to 8 hours.")) }

        let start = booking.scheduledTime
        let end = start.adding(minutes: booking.duration)
        if let office, let opens = (office["start_time"] as String?).flatMap(clock),
            let closes = (office["end_time"] as String?).flatMap(clock)
        {
            let from = start.hour * 60 + start.minute
            let to = from + booking.duration
            if from < opens || to > closes {
                problems.append(
                    .warning(
                        "scheduled_time",
                        "\(office["name"] as String) is open \(clockText(opens))–\(clockText(closes)); \(clockText(from)) is outside its hours."
                    ))
            }
        }
        if start < now {
            problems.append(
                .warning(
                    "scheduled_time", "\(clockText(start.hour * 60 + start.minute)) on \(start.month)/\(start.day) has already passed."))
        }

        if !booking.allowOverlapping {
            for other in try MirrorQueries.daySchedule(db, day: start.dateString)
            where other.doctor == booking.doctor || (other.office == booking.office && other.examRoom == booking.examRoom) {
                guard let otherStart = other.scheduledTime, otherStart < end, start < otherStart.adding(minutes: other.duration),
                    other.status != "Cancelled"
                else { continue }
                let time = clockText(otherStart.hour * 60 + otherStart.minute)
                let whose =
                    other.isBreak
                    ? "a break"
                    : try other.patient.flatMap { try MirrorQueries.patient(db, id: $0) }.map { "\($0.firstName) \($0.lastName)" }
                        ?? "an appointment"
                let roomName =
                    try String.fetchOne(
                        db, sql: "SELECT name FROM exam_rooms WHERE office_id = ? AND room_index = ?",
                        arguments: [other.office, other.examRoom]) ?? "their room"
                let who = other.doctor == booking.doctor ? doctorName : roomName
                problems.append(
                    .warning(
                        "scheduled_time", "\(who) already has \(whose) at \(time) in \(roomName) — pick another time or allow overlap."))
                break
            }
        }
        return problems
    }

    /// "08:00:00" → minutes after midnight.
    static func clock(_ text: String) -> Int? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        return parts.count >= 2 ? parts[0] * 60 + parts[1] : nil
    }

    static func clockText(_ minutes: Int) -> String {
        let hour = minutes / 60
        let minute = minutes % 60
        return "\(hour % 12 == 0 ? 12 : hour % 12):\(minute < 10 ? "0" : "")\(minute) \(hour < 12 ? "am" : "pm")"
    }
}
