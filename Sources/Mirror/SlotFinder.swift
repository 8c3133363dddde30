import DrChronoAPI
import Foundation
import GRDB

/// Finds the next free slots from the mirror: "Dr. Patel's first free 30-minute
/// morning next week". A slot is free when it lies in the doctor's working hours (their
/// work schedule at that office, or the office's opening hours Monday to Friday when
/// DrChrono has none), clear of the doctor's visits and breaks, with an exam room of the
/// office clear too.
///
/// It reads a day at a time and stops at the first `limit` slots, so an answer within
/// the week costs a few indexed reads, whatever the size of the practice.
public enum SlotFinder {
    public enum PartOfDay: String, Sendable, CaseIterable {
        case any, mornings, afternoons
    }

    public struct Request: Sendable, Equatable {
        /// The doctors to look at; nil: any doctor.
        public var doctors: [Int]?
        public var office: Int?
        public var duration: Int
        public var from: LocalDateTime
        public var part = PartOfDay.any
        /// How far ahead to look, in days.
        public var horizon = 60
        public var limit = 10
        /// Where slots start: every quarter-hour, as the schedule's grid.
        public var step = 15

        public init(doctors: [Int]?, office: Int?, duration: Int, from: LocalDateTime) {
            (self.doctors, self.office, self.duration, self.from) = (doctors, office, duration, from)
        }
    }

    public struct Slot: Sendable, Equatable {
        public var doctor: Int, office: Int, room: Int
        public var start: LocalDateTime
    }

    /// The first free slots at or after `request.from` and after `now`, earliest first.
    public static func find(_ request: Request, now: LocalDateTime, in db: Database) throws -> [Slot] {
        guard request.duration > 0 else { return [] }
        let offices = try MirrorQueries.offices(db).filter { request.office == nil || $0.id == request.office }
        guard !offices.isEmpty else { return [] }
        let doctors = try request.doctors ?? Int.fetchAll(db, sql: "SELECT id FROM doctors ORDER BY last_name, first_name, id")
        let hours = try workingHours(db, doctors: doctors, offices: offices)
        var found: [Slot] = []
        let first = max(request.from.startOfDay, now.startOfDay)
        for offset in 0..<request.horizon {
            let day = first.adding(days: offset)
            let weekday = WorkWeek.weekdays[(day.weekday + 6) % 7]  // LocalDateTime: 0 Sunday
            // Who works today, where, when: read the day's visits only if anyone does.
            var shifts: [(doctor: Int, office: Office, from: Int, to: Int)] = []
            for doctor in doctors {
                for office in offices {
                    for (from, to) in hours[doctor]?[office.id]?[weekday] ?? [] { shifts.append((doctor, office, from, to)) }
                }
            }
            guard !shifts.isEmpty else { continue }
            // Only what can clash: the doctors asked about and the rooms of their offices
            // (the whole day only for "any doctor": a large practice's day is 2,000 visits).
            let busy = try Busy.read(
                day: day, doctors: request.doctors.map { _ in Set(shifts.map(\.doctor)) }, offices: Set(shifts.map(\.office.id)), in: db)
            var daySlots: [Slot] = []
            for shift in shifts {
                var minute = (shift.from + request.step - 1) / request.step * request.step
                while minute + request.duration <= shift.to {
                    defer { minute += request.step }
                    let start = day.adding(minutes: minute)
                    guard start > now else { continue }
                    switch request.part {
                    case .mornings where minute >= 12 * 60, .afternoons where minute < 12 * 60: continue
                    default: break
                    }
                    let end = minute + request.duration
                    guard !busy.doctor(shift.doctor, between: minute, and: end) else { continue }
                    guard
                        let room = shift.office.examRooms.first(where: { !busy.room(shift.office.id, $0.index, between: minute, and: end) })
                    else { continue }
                    daySlots.append(Slot(doctor: shift.doctor, office: shift.office.id, room: room.index, start: start))
                }
            }
            daySlots.sort { ($0.start, doctors.firstIndex(of: $0.doctor) ?? 0) < ($1.start, doctors.firstIndex(of: $1.doctor) ?? 0) }
            found += daySlots.prefix(request.limit - found.count)
            if found.count >= request.limit { break }
        }
        return found
    }

    /// Minutes after midnight each doctor works, by office and ISO weekday name.
    static func workingHours(_ db: Database, doctors: [Int], offices: [Office]) throws -> [Int: [Int: [String: [(Int, Int)]]]] {
        var hours: [Int: [Int: [String: [(Int, Int)]]]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT doctor_id, office_id, raw FROM work_schedules") {
            guard let doctor = row["doctor_id"] as Int?, let office = row["office_id"] as Int?,
                let raw = (row["raw"] as String?).flatMap({ try? JSONValue.parse(Data($0.utf8)) })?.objectValue
            else { continue }
            for day in raw.array("work_days").compactMap(\.objectValue) where day.bool("enabled") != false {
                guard let name = day.string("iso_weekday") else { continue }
                for hour in day.array("work_hours").compactMap(\.objectValue) where hour.bool("enabled") != false {
                    guard let from = hour.string("start_time").flatMap(minutes), let to = hour.string("end_time").flatMap(minutes) else {
                        continue
                    }
                    hours[doctor, default: [:]][office, default: [:]][name, default: []].append((from, to))
                }
            }
        }
        // No work schedule in DrChrono: the office's opening hours, Monday to Friday.
        for doctor in doctors where hours[doctor] == nil {
            for office in offices {
                guard let from = office.startTime.flatMap(minutes), let to = office.endTime.flatMap(minutes) else { continue }
                for name in WorkWeek.weekdays.prefix(5) { hours[doctor, default: [:]][office.id, default: [:]][name] = [(from, to)] }
            }
        }
        return hours
    }

    /// "08:00" or "08:00:00" → 480.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        return parts.count >= 2 ? parts[0] * 60 + parts[1] : nil
    }

    /// What holds a day's time: each doctor's visits and breaks, each room's visits.
    struct Busy {
        var doctors: [Int: [(Int, Int)]] = [:]
        var rooms: [String: [(Int, Int)]] = [:]

        /// The day's visits and breaks of `doctors` (nil: every doctor) and in `offices`'
        /// rooms, read through the day's indexes; the minute of the day cut from the stored
        /// timestamp in SQL, with no date parsed per row.
        static func read(day: LocalDateTime, doctors: Set<Int>?, offices: Set<Int>, in db: Database) throws -> Busy {
            var busy = Busy()
            var sql = """
                SELECT doctor_id, office_id, exam_room, duration,
                       CAST(substr(scheduled_time, 12, 2) AS INTEGER) * 60 + CAST(substr(scheduled_time, 15, 2) AS INTEGER) AS minute
                FROM appointments
                WHERE day = ? AND \(VisitTime.sqlCondition)
                """
            var arguments: [DatabaseValueConvertible] = [day.dateString]
            if let doctors {
                let marks = { (count: Int) in databaseQuestionMarks(count: count) }
                sql += " AND (doctor_id IN (\(marks(doctors.count))) OR office_id IN (\(marks(offices.count))))"
                arguments +=
                    doctors.sorted().map { $0 as DatabaseValueConvertible } + offices.sorted().map { $0 as DatabaseValueConvertible }
            }
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) {
                guard let from = row["minute"] as Int? else { continue }
                let span = (from, from + max(1, row["duration"] as Int? ?? 0))
                if let doctor = row["doctor_id"] as Int? { busy.doctors[doctor, default: []].append(span) }
                if let office = row["office_id"] as Int?, let room = row["exam_room"] as Int? {
                    busy.rooms["\(office):\(room)", default: []].append(span)
                }
            }
            return busy
        }

        func doctor(_ id: Int, between from: Int, and to: Int) -> Bool {
            doctors[id]?.contains { $0.0 < to && from < $0.1 } ?? false
        }

        func room(_ office: Int, _ room: Int, between from: Int, and to: Int) -> Bool {
            rooms["\(office):\(room)"]?.contains { $0.0 < to && from < $0.1 } ?? false
        }
    }
}

/// The week as DrChrono's work schedules name its days.
enum WorkWeek {
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
}
