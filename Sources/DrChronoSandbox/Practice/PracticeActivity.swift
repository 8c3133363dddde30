import DrChronoAPI

/// Whether the sandbox practice changes by itself, as a real one does while people work
/// in DrChrono's web app.
public enum ActivityMode: String, Sendable, CaseIterable {
    /// Nothing changes unless a client or a test changes it.
    case off
    /// A clinic day: see ``PracticeActivity``.
    case day
}

/// One thing a person in the practice does at a moment of the day.
struct ActivityEvent: Sendable {
    /// When, on the practice's wall clock (`LocalDateTime.secondsSinceEpoch`).
    var time: Int
    var action: Action

    enum Action: Sendable, Equatable {
        /// A visit moves on: Arrived, Checked In, In Room, Complete or No Show.
        case visit(appointment: Int, status: String)
        /// The doctor signs the visit's note.
        case signNote(appointment: Int)
        /// A biller adds the visit's charge.
        case charge(appointment: Int)
        /// The front desk books, cancels or moves one of a doctor's coming visits.
        case book(doctor: Int)
        case cancel(doctor: Int)
        case reschedule(doctor: Int)
        /// A patient's phone number is corrected.
        case editPatient
        /// Reminders go out for the next working days' visits: every one of them is
        /// stamped with the same second, as DrChrono's reminder run does.
        case remind
    }
}

/// The day a practice lives through, the same for the same seed and day.
///
/// Rates, per doctor and working day (8 am to 6 pm):
///
/// | what | how often |
/// |---|---|
/// | each of today's visits | Arrived (2–15 min early; one in five 3–20 min late) → Checked In (1–4 min; the copay taken, seven times in eight, when the patient has one) → In Room (at the start, up to 8 min after) → Complete (at the end, up to 10 min after); 6 % No Show 20 min after the start |
/// | note signed | 85 % of finished visits, 20 min to 4 h after |
/// | charge added | 85 % of finished visits, 5–90 min after |
/// | booking | 6–10 a day, 1–21 days ahead |
/// | cancellation | 1–3 a day (one in three deleted outright) |
/// | reschedule | 1–3 a day |
/// | patient details edited | 3–5 a day |
///
/// and once a working day, at 6 pm, the reminder run stamps every visit of the next
/// three working days with one `updated_at` (several hundred rows at `practice`).
struct PracticeActivity: Sendable {
    var seed: UInt64
    static let reminderTime = 18 * 3600
    static let reminderDays = 3

    /// The events of `day` later than `after`, in time order.
    func plan(day: LocalDateTime, practice: Practice, after: Int) -> [ActivityEvent] {
        guard day.weekday != 0, day.weekday != 6 else { return [] }
        var events: [ActivityEvent] = []
        let dayStart = day.startOfDay.secondsSinceEpoch
        for id in practice.appointmentIds(onDays: day.dayNumber...day.dayNumber).sorted() {
            guard let visit = practice.appointments[id], !visit.isBreak, !visit.deleted, visit.patient != nil else { continue }
            events += visitEvents(visit)
        }
        var rng = SeededRandom(seed: seed ^ UInt64(day.dayNumber) &* 0x2545_F491_4F6C_DD1D)
        let workday = 10 * 3600
        let open = dayStart + 8 * 3600
        for doctor in practice.doctors.ids {
            for _ in 0..<rng.int(6...10) { events.append(ActivityEvent(time: open + rng.int(0..<workday), action: .book(doctor: doctor))) }
            for _ in 0..<rng.int(1...3) { events.append(ActivityEvent(time: open + rng.int(0..<workday), action: .cancel(doctor: doctor))) }
            for _ in 0..<rng.int(1...3) {
                events.append(ActivityEvent(time: open + rng.int(0..<workday), action: .reschedule(doctor: doctor)))
            }
            for _ in 0..<rng.int(3...5) { events.append(ActivityEvent(time: open + rng.int(0..<workday), action: .editPatient)) }
        }
        events.append(ActivityEvent(time: dayStart + PracticeActivity.reminderTime, action: .remind))
        // Stable order: by time, then as planned, so a replay is the same replay.
        return events.enumerated().filter { $0.element.time > after }
            .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// How one visit goes, from the status it has now.
    func visitEvents(_ visit: AppointmentRecord) -> [ActivityEvent] {
        let progress = ["Arrived", "Checked In", "In Room", "Complete"]
        let reached: Int
        switch visit.status {
        case "Cancelled", "Rescheduled", "No Show", "Complete": return []
        case "Arrived", "Checked In Online": reached = 0
        case "Checked In": reached = 1
        case "In Room", "In Session": reached = 2
        default: reached = -1
        }
        var rng = SeededRandom(seed: seed ^ UInt64(visit.id) &* 0x9E37_79B9_7F4A_7C15)
        let start = visit.scheduledTime.secondsSinceEpoch
        let end = visit.endTime.secondsSinceEpoch
        if reached < 0, rng.chance(0.06) {
            return [ActivityEvent(time: start + 20 * 60, action: .visit(appointment: visit.id, status: "No Show"))]
        }
        let arrived = rng.chance(0.8) ? start - rng.int(2...15) * 60 : start + rng.int(3...20) * 60
        let checkedIn = arrived + rng.int(1...4) * 60 + rng.int(0...59)
        let inRoom = max(start, checkedIn) + rng.int(0...8) * 60 + rng.int(0...59)
        let complete = max(end, inRoom + 10 * 60) + rng.int(0...10) * 60 + rng.int(0...59)
        let times = [arrived, checkedIn, inRoom, complete]
        var events: [ActivityEvent] = []
        for step in (reached + 1)..<progress.count {
            events.append(ActivityEvent(time: times[step], action: .visit(appointment: visit.id, status: progress[step])))
        }
        if rng.chance(0.85) {
            events.append(ActivityEvent(time: complete + rng.int(20...240) * 60, action: .signNote(appointment: visit.id)))
        }
        if rng.chance(0.85) { events.append(ActivityEvent(time: complete + rng.int(5...90) * 60, action: .charge(appointment: visit.id))) }
        return events
    }
}

/// One change the activity made, and when a client first read it back: how stale a
/// mirror was, measured on the sandbox clock.
struct ActivityChange: Sendable {
    var resource: String
    var id: Int
    var what: String
    /// Sandbox time (epoch seconds) the change was made.
    var at: Double
    /// Whether it changed a visit of the day it was made on: today's schedule.
    var today: Bool
    /// Whether the reminder run made it.
    var bulk: Bool
    /// Sandbox time a client was first sent the row as it stood after this change
    /// (a list page, the object itself or a webhook).
    var servedAt: Double?
    /// How many list pages carried the row as this change left it (until a later
    /// change): 1 when a mirror paid for it once.
    var listed = 0

    var json: JSONValue {
        .object([
            "resource": .string(resource), "id": .int(id), "what": .string(what), "at": .double(at), "today": .bool(today),
            "bulk": .bool(bulk), "served_at": servedAt.map { .double($0) } ?? .null, "listed": .int(listed),
        ])
    }
}
