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
        let offices = try openOffices(db).filter { request.office == nil || $0.id == request.office }
        guard !offices.isEmpty else { return [] }
        let doctors =
            try request.doctors ?? Int.fetchAll(db.cachedStatement(sql: "SELECT id FROM doctors ORDER BY last_name, first_name, id"))
        var rank: [Int: Int] = [:]
        for (place, doctor) in doctors.enumerated() where rank[doctor] == nil { rank[doctor] = place }
        let hours = try workingHours(db, doctors: request.doctors, all: doctors, offices: offices)
        var found: [Slot] = []
        let first = max(request.from.startOfDay, now.startOfDay)
        for offset in 0..<request.horizon {
            let day = first.adding(days: offset)
            let weekday = (day.weekday + 6) % 7  // LocalDateTime: 0 Sunday; the work week: 0 Monday
            // Who works today, where, when: read the day's visits only if anyone does.
            // Offices by their place in `offices`: a shift copied with its office's
            // record (names, rooms) cost a retain and a release per field, per shift.
            var shifts: [(doctor: Int, office: Int, stretch: WorkHours.Stretch)] = []
            for doctor in doctors {
                for (place, office) in offices.enumerated() {
                    for stretch in hours[doctor]?[office.id]?[weekday] ?? [] { shifts.append((doctor, place, stretch)) }
                }
            }
            guard !shifts.isEmpty else { continue }
            // Slots start after now: today, after now's minute (a slot is a whole minute).
            let after = day == now.startOfDay ? now.hour * 60 + now.minute : -1
            // One doctor reads their own visits first, and their offices' rooms only on a
            // day they have time free: a doctor booked solid for weeks costs a short
            // indexed read a day, not the office's whole day. "Any doctor" reads every
            // visit that starts before a horizon an hour past the first free minute
            // (a large practice's whole day is 2,000 visits): slots that end by it are
            // decided, and come before every later one; it moves out (reading the visits
            // that start in the stretch added) until enough are found.
            let earliest = max(after, request.part == .afternoons ? 12 * 60 : 0, shifts.map(\.stretch.start).min() ?? 0)
            var until = request.doctors == nil ? earliest + request.duration + 60 : nil
            var busy = Busy()
            var readFrom: Int?
            var daySlots: [Slot]
            repeat {
                if let bound = until, bound >= shifts.map(\.stretch.end).max() ?? 0 { until = nil }
                if let doctors = request.doctors {
                    busy = try Busy.read(day: day, doctors: Set(doctors), in: db)
                } else {
                    try busy.addEveryone(day: day, from: readFrom, before: until, in: db)
                    readFrom = until
                }
                daySlots = try slots(
                    request, day: day, after: after, until: until, shifts: shifts, offices: offices, busy: &busy, in: db)
                until = until.map { $0 + 120 }
            } while until != nil && daySlots.count < request.limit - found.count
            daySlots.sort { ($0.start, rank[$0.doctor] ?? 0) < ($1.start, rank[$1.doctor] ?? 0) }
            found += daySlots.prefix(request.limit - found.count)
            if found.count >= request.limit { break }
        }
        return found
    }

    /// The free slots of a day's shifts that start after minute `after` (and end by
    /// `until`, when the visits were read only up to it).
    static func slots(
        _ request: Request, day: LocalDateTime, after: Int, until: Int?,
        shifts: [(doctor: Int, office: Int, stretch: WorkHours.Stretch)], offices: [Office],
        busy: inout Busy, in db: Database
    ) throws -> [Slot] {
        var daySlots: [Slot] = []
        for shift in shifts {
            var minute = (shift.stretch.start + request.step - 1) / request.step * request.step
            while minute + request.duration <= min(shift.stretch.end, until ?? .max) {
                defer { minute += request.step }
                guard minute > after else { continue }
                switch request.part {
                case .mornings where minute >= 12 * 60, .afternoons where minute < 12 * 60: continue
                default: break
                }
                let end = minute + request.duration
                guard !busy.doctor(shift.doctor, between: minute, and: end) else { continue }
                let office = offices[shift.office].id
                try busy.readRooms(of: office, day: day, in: db)
                guard
                    let room = offices[shift.office].examRooms.first(where: { !busy.room(office, $0.index, between: minute, and: end) })
                else { continue }
                daySlots.append(Slot(doctor: shift.doctor, office: office, room: room.index, start: day.adding(minutes: minute)))
            }
        }
        return daySlots
    }

    /// The offices open for booking with their hours and rooms, from their columns: a
    /// search need not parse each office's whole record.
    static func openOffices(_ db: Database) throws -> [Office] {
        var rooms: [Int: [JSONValue]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(sql: "SELECT office_id, room_index, name FROM exam_rooms ORDER BY office_id, room_index"))
        {
            rooms[row[0], default: []].append(.object(["index": .int(row[1] as Int?), "name": .string(row[2] as String?)]))
        }
        return try Row.fetchAll(
            db.cachedStatement(sql: "SELECT id, name, start_time, end_time FROM offices WHERE archived = 0 ORDER BY id")
        )
        .compactMap { row in
            Office(json: [
                "id": .int(row[0] as Int?), "name": .string(row[1] as String?), "start_time": .string(row[2] as String?),
                "end_time": .string(row[3] as String?),
                "exam_rooms": .array(rooms[row[0]] ?? []),
            ])
        }
    }

    /// Minutes after midnight each doctor works, by office and weekday (0 Monday): their
    /// work schedules (`doctors` only, or everyone's when nil); for a doctor of `all` with
    /// none in DrChrono, the offices' opening hours Monday to Friday.
    static func workingHours(_ db: Database, doctors: [Int]?, all: [Int], offices: [Office]) throws -> [Int: [Int: [Int: [WorkHours
        .Stretch]]]]
    {
        var hours = try WorkHours.read(db, doctors: doctors)
        for doctor in all where hours[doctor] == nil {
            for office in offices {
                guard let start = office.startTime.flatMap(WorkHours.minutes), let end = office.endTime.flatMap(WorkHours.minutes) else {
                    continue
                }
                for weekday in 0..<5 {
                    hours[doctor, default: [:]][office.id, default: [:]][weekday] = [WorkHours.Stretch(start: start, end: end)]
                }
            }
        }
        return hours
    }

    /// What holds a day's time: each doctor's visits and breaks, each room's visits.
    struct Busy {
        struct Room: Hashable {
            var office: Int, room: Int
        }

        var doctors: [Int: [(Int, Int)]] = [:]
        var rooms: [Room: [(Int, Int)]] = [:]
        /// The offices whose rooms are read (every office, after a whole day's read).
        var roomsRead: Set<Int> = []
        var wholeDay = false

        static let columns = """
            SELECT doctor_id, office_id, exam_room, duration,
                   CAST(substr(scheduled_time, 12, 2) AS INTEGER) * 60 + CAST(substr(scheduled_time, 15, 2) AS INTEGER) AS minute
            FROM appointments
            WHERE day = ? AND \(VisitTime.sqlCondition)
            """

        /// Every doctor's and room's visits and breaks that start from minute `from` (the
        /// day's start when nil) and before minute `before` (its end when nil), read in time
        /// order through the day's index; the minute of the day cut from the stored
        /// timestamp in SQL, with no date parsed per row.
        mutating func addEveryone(day: LocalDateTime, from: Int?, before: Int?, in db: Database) throws {
            wholeDay = true
            var sql = Self.columns
            var arguments: [DatabaseValueConvertible] = [day.dateString]
            if let from {
                sql += " AND scheduled_time >= ?"
                arguments.append(day.adding(minutes: from).description)
            }
            if let before {
                sql += " AND scheduled_time < ?"
                arguments.append(day.adding(minutes: before).description)
            }
            try add(db, sql: sql, arguments, doctors: true, rooms: true)
        }

        /// The day's visits and breaks of `doctors` (their rooms are read when wanted).
        static func read(day: LocalDateTime, doctors: Set<Int>, in db: Database) throws -> Busy {
            var busy = Busy()
            try busy.add(
                db, sql: columns + " AND doctor_id IN (\(databaseQuestionMarks(count: doctors.count)))",
                [day.dateString] + doctors.sorted(), doctors: true, rooms: false)
            return busy
        }

        /// Reads the rooms of `office` for the day, once.
        mutating func readRooms(of office: Int, day: LocalDateTime, in db: Database) throws {
            guard !wholeDay, roomsRead.insert(office).inserted else { return }
            try add(db, sql: Self.columns + " AND office_id = ?", [day.dateString, office], doctors: false, rooms: true)
        }

        private mutating func add(_ db: Database, sql: String, _ arguments: [DatabaseValueConvertible], doctors: Bool, rooms: Bool) throws {
            // Cached: the same few statements run for each day of a search, and for each search.
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments))
            while let row = try rows.next() {
                guard let from = row[4] as Int? else { continue }
                let span = (from, from + max(1, row[3] as Int? ?? 0))
                if doctors, let doctor = row[0] as Int? { self.doctors[doctor, default: []].append(span) }
                if rooms, let office = row[1] as Int?, let room = row[2] as Int? {
                    self.rooms[Room(office: office, room: room), default: []].append(span)
                }
            }
        }

        func doctor(_ id: Int, between from: Int, and to: Int) -> Bool {
            doctors[id]?.contains { $0.0 < to && from < $0.1 } ?? false
        }

        func room(_ office: Int, _ room: Int, between from: Int, and to: Int) -> Bool {
            rooms[Room(office: office, room: room)]?.contains { $0.0 < to && from < $0.1 } ?? false
        }
    }
}
