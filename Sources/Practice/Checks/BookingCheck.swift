import DrChronoAPI
import Foundation
import Mirror

/// Checks a booking against what the mirror knows (``BookingFacts``) before it is
/// queued: what DrChrono would refuse, and what a front desk should be asked about.
/// Pure: the facts are read by the mirror, so the check runs in the model.
public enum BookingCheck {
    public static func problems(_ booking: Outbox.Booking, facts: BookingFacts, now: LocalDateTime) -> [WriteProblem] {
        var problems: [WriteProblem] = []
        let doctorName = facts.doctorLastName.map(Doctor.displayName(lastName:)) ?? "The doctor"
        if facts.doctorLastName == nil { problems.append(.error("doctor", "Choose a doctor.")) }
        if facts.office == nil { problems.append(.error("office", "Choose an office.")) }
        if let office = facts.office, facts.roomName == nil {
            problems.append(.error("exam_room", "\(office.name) has no exam room \(booking.examRoom)."))
        }
        if !facts.patientExists { problems.append(.error("patient", "Choose a patient.")) }
        if !(5...480).contains(booking.duration) { problems.append(.error("duration", "A visit lasts from 5 minutes to 8 hours.")) }

        let start = booking.scheduledTime
        let end = start.adding(minutes: booking.duration)
        if let office = facts.office, let opens = office.opens.flatMap(clock), let closes = office.closes.flatMap(clock) {
            let from = start.hour * 60 + start.minute
            let to = from + booking.duration
            if from < opens || to > closes {
                problems.append(
                    .warning(
                        "scheduled_time",
                        "\(office.name) is open \(clockText(opens))–\(clockText(closes)); \(clockText(from)) is outside its hours."
                    ))
            }
        }
        if start < now {
            problems.append(
                .warning(
                    "scheduled_time", "\(clockText(start.hour * 60 + start.minute)) on \(start.month)/\(start.day) has already passed."))
        }

        if !booking.allowOverlapping {
            for other in facts.neighbours {
                guard other.start < end, start < other.start.adding(minutes: other.duration), VisitTime.holds(status: other.status) else {
                    continue
                }
                let time = clockText(other.start.hour * 60 + other.start.minute)
                let whose = other.isBreak ? "a break" : other.patientName ?? "an appointment"
                let roomName = other.roomName ?? "their room"
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

    static func clockText(_ minutes: Int) -> String { LocalDateTime.clock(minutes: minutes) }
}
