import DrChronoAPI
import Mirror
import Practice

/// What the schedule shows for its range, as read from the mirror.
public struct ScheduleData: Sendable, Equatable {
    public var doctors: [Doctor]
    public var offices: [Office]
    public var appointments: [Appointment]
    public var patientNames: [Int: String]
    public var marks: [String: OutboxMark]
    /// The doctors whose appointments were read; nil when every doctor's were.
    public var readDoctors: [Int]?
    /// The practice's visit types, for the booking form.
    public var visitTypes: [AppointmentProfile] = []
    /// The shown patients' copays (cents), what was paid on each visit (cents), and the
    /// latest eligibility check of each visit: the detail line and check-in read them.
    public var copays: [Int: Int] = [:]
    public var paid: [String: Int] = [:]
    public var eligibility: [String: EligibilityCheck] = [:]
    /// Whether `doctors`, `offices` and `visitTypes` were read with the visits (else the
    /// schedule keeps those it has).
    public var practiceRead = true
    /// Doctors no live DrChrono login of the profile sees (a grant was revoked): their
    /// columns are shown as last read, and say so. Read with the practice.
    public var unseenDoctors: Set<Int> = []

    public init(
        doctors: [Doctor] = [], offices: [Office] = [], appointments: [Appointment] = [], patientNames: [Int: String] = [:],
        marks: [String: OutboxMark] = [:], readDoctors: [Int]? = nil, visitTypes: [AppointmentProfile] = []
    ) {
        (self.doctors, self.offices, self.appointments, self.patientNames, self.marks) = (
            doctors, offices, appointments, patientNames, marks
        )
        self.readDoctors = readDoctors
        self.visitTypes = visitTypes
    }

    public func doctorName(_ id: Int?) -> String {
        guard let id, let doctor = doctors.first(where: { $0.id == id }) else { return "no doctor" }
        return doctor.displayName
    }

    public func patientName(_ appointment: Appointment) -> String {
        if appointment.isBreak { return appointment.reason.isEmpty ? "Break" : appointment.reason }
        return appointment.patient.flatMap { patientNames[$0] } ?? "Patient \(appointment.patient.map(String.init) ?? "?")"
    }

    public func roomName(office: Int?, room: Int?) -> String {
        guard let office = offices.first(where: { $0.id == office }) else { return "no room" }
        return office.examRooms.first { $0.index == room }?.name ?? "Room \(room.map(String.init) ?? "?")"
    }
}

/// One column of the grid: a doctor's day, an exam room's day, or a day of one doctor's week.
public struct ScheduleColumn: Sendable, Equatable {
    public var title: String
    public var day: LocalDateTime
    public var doctor: Int?
    public var office: Int?
    public var room: Int?
}

/// What one slot of one column holds.
public enum ScheduleCell: Sendable, Equatable {
    case empty
    /// An appointment (index into the data's list) starts here; `others` more overlap it.
    case start(Int, others: Int)
    /// An appointment that started in an earlier slot runs on through this one.
    case continuation(Int)

    public var appointmentIndex: Int? {
        switch self {
        case .empty: nil
        case .start(let index, _), .continuation(let index): index
        }
    }
}

/// A slot the front desk pointed at for a booking.
public struct BookingSlot: Sendable, Equatable {
    public var column: ScheduleColumn
    public var time: LocalDateTime
}

/// The schedule pane: a day with a column per doctor or exam room, or a doctor's week;
/// a cursor over slots; and the modes for moving an appointment or booking a patient.
public struct ScheduleModel: Sendable, Equatable {
    public enum Columns: Sendable, Equatable { case doctors, rooms }

    public var day: LocalDateTime
    public var isWeek = false
    public var columnsBy = Columns.doctors
    /// The doctor whose week the week view shows.
    public var weekDoctor: Int?
    /// The doctors whose columns come first (a clinician's own), in this order.
    public var preferredDoctors: [Int] = []
    public private(set) var data = ScheduleData()
    /// Whether the practice's doctors, offices and visit types must be read again with
    /// the next day (the mirror moved since they were).
    public var practiceStale = true
    public private(set) var columns: [ScheduleColumn] = []
    public private(set) var grid: [[ScheduleCell]] = []
    /// Every visit covering each slot of each column, the one the cell shows first.
    public private(set) var stacks: [[[Int]]] = []
    /// The visit `v` picked among those sharing a slot; it holds while the cursor stays there.
    public struct SlotPick: Sendable, Equatable {
        public var column: Int, slot: Int, layer: Int
    }
    public var pick: SlotPick?
    public private(set) var firstMinute = 8 * 60
    public private(set) var slotCount = 40
    public let slotMinutes = 15
    public var column = 0
    public var slot = 0
    /// The first slot row and column on screen; kept so the cursor stays visible.
    public var top = 0
    public var left = 0
    public var visibleRows = 20
    public var visibleColumns = 4
    /// The appointment being moved, while the front desk picks its new slot.
    public var moving: Appointment?
    /// The patient being booked, while the front desk picks a slot.
    public var bookingFor: PatientChoice?

    public init(day: LocalDateTime) { self.day = day.startOfDay }

    /// Monday of the shown day's week.
    public var weekStart: LocalDateTime { day.adding(days: -((day.weekday + 6) % 7)) }

    /// The days the mirror must be read for, and for which doctor.
    public var range: (from: LocalDateTime, to: LocalDateTime, doctor: Int?) {
        isWeek ? (weekStart, weekStart.adding(days: 6), weekDoctor) : (day, day, nil)
    }

    /// The doctors whose day must be read: those on screen and one column either side,
    /// when the practice has more doctors than that; nil for all. A practice of 120
    /// doctors shows six or seven columns: reading every doctor's day at each day change
    /// would be fifteen times the work for rows nobody sees. Moving past the columns read
    /// reads again (``needsWiderRead``), a key in a screen's width of them.
    public var doctorsToRead: [Int]? {
        guard !isWeek, columnsBy == .doctors else { return nil }
        let all = columns.compactMap(\.doctor).isEmpty ? data.doctors.map(\.id) : columns.compactMap(\.doctor)
        let span = max(1, visibleColumns)
        guard all.count > span + 2 else { return nil }
        let first = max(0, min(left, all.count - span) - 1)
        return Array(all[first..<min(all.count, first + span + 2)])
    }

    /// Whether a doctor on screen has not had their day read (the cursor went past
    /// those read, or the window grew): the day must be read again.
    public var needsWiderRead: Bool {
        guard let read = data.readDoctors.map(Set.init) else { return false }
        let shown = columns[min(left, columns.count)..<min(columns.count, left + visibleColumns)].compactMap(\.doctor)
        return !shown.allSatisfy(read.contains) || (doctorsToRead == nil && !isWeek && columnsBy == .doctors)
    }

    public func time(ofSlot slot: Int) -> LocalDateTime { day.adding(minutes: firstMinute + slot * slotMinutes) }

    public var selectedColumn: ScheduleColumn? { columns.indices.contains(column) ? columns[column] : nil }

    public var selectedCell: ScheduleCell { cell(column: column, slot: slot) }

    public var selectedAppointment: Appointment? {
        selectedCell.appointmentIndex.map { data.appointments[$0] }
    }

    /// The slot under the cursor, as a time in the cursor's column.
    public var selectedSlot: BookingSlot? {
        guard let column = selectedColumn else { return nil }
        return BookingSlot(column: column, time: column.day.adding(minutes: firstMinute + slot * slotMinutes))
    }

    /// Takes freshly read rows, keeping the cursor on the same time and column; answers
    /// false when they are the rows already shown (a commit elsewhere in the practice):
    /// nothing changed, nothing to lay out or draw.
    @discardableResult
    public mutating func show(_ data: ScheduleData) -> Bool {
        let keepTime = firstMinute + slot * slotMinutes
        let keepTitle = selectedColumn?.title
        var data = data
        if data.practiceRead {
            practiceStale = false
        } else {
            (data.doctors, data.offices, data.visitTypes) = (self.data.doctors, self.data.offices, self.data.visitTypes)
            data.unseenDoctors = self.data.unseenDoctors
            data.practiceRead = true
        }
        // The same rows, and the same columns from them (a key may have changed how the
        // columns are made since they were laid out): nothing to do.
        if data == self.data, !columns.isEmpty, makeColumns() == columns { return false }
        self.data = data
        if isWeek && weekDoctor == nil { weekDoctor = data.doctors.first?.id }
        columns = makeColumns()
        layOut()
        slot = max(0, min(slotCount - 1, (keepTime - firstMinute) / slotMinutes))
        if let keepTitle, let index = columns.firstIndex(where: { $0.title == keepTitle }) { column = index }
        column = max(0, min(column, columns.count - 1))
        keepCursorVisible()
        return true
    }

    private func makeColumns() -> [ScheduleColumn] {
        if isWeek {
            let doctor = weekDoctor
            return (0..<7).map { offset in
                let date = weekStart.adding(days: offset)
                return ScheduleColumn(title: "\(Self.weekdayNames[date.weekday]) \(date.month)/\(date.day)", day: date, doctor: doctor)
            }
        }
        switch columnsBy {
        case .doctors:
            let first = preferredDoctors.compactMap { id in data.doctors.first { $0.id == id } }
            let rest = data.doctors.filter { !preferredDoctors.contains($0.id) }
            return (first + rest).map { doctor in
                // A side no live login reads: its visits are as they were last read.
                let title = data.unseenDoctors.contains(doctor.id) ? doctor.displayName + " (as last read)" : doctor.displayName
                return ScheduleColumn(title: title, day: day, doctor: doctor.id)
            }
        case .rooms:
            let several = data.offices.count > 1
            return data.offices.flatMap { office in
                office.examRooms.map { room in
                    ScheduleColumn(
                        title: several ? "\(office.name) · \(room.name)" : room.name, day: day, office: office.id, room: room.index)
                }
            }
        }
    }

    /// The hours the grid spans: the offices' hours, widened to any appointment outside
    /// them, in slots of `slotMinutes`.
    private mutating func layOut() {
        var opens = data.offices.compactMap { Self.minutes($0.startTime) }.min() ?? 8 * 60
        var closes = data.offices.compactMap { Self.minutes($0.endTime) }.max() ?? 18 * 60
        if closes <= opens { (opens, closes) = (8 * 60, 18 * 60) }
        for appointment in data.appointments {
            guard let time = appointment.scheduledTime else { continue }
            let start = time.hour * 60 + time.minute
            opens = min(opens, start)
            closes = max(closes, min(24 * 60, start + max(appointment.duration, slotMinutes)))
        }
        firstMinute = opens / slotMinutes * slotMinutes
        slotCount = max(1, (closes - firstMinute + slotMinutes - 1) / slotMinutes)
        stacks = columns.map { _ in Array(repeating: [], count: slotCount) }
        var starts: [Int: Int] = [:]
        let holding = ColumnLookup(columns)
        for (index, appointment) in data.appointments.enumerated() {
            guard let time = appointment.scheduledTime else { continue }
            let start = (time.hour * 60 + time.minute - firstMinute) / slotMinutes
            starts[index] = start
            let length = max(1, (appointment.duration + slotMinutes - 1) / slotMinutes)
            for c in holding.columns(holding: appointment) {
                guard start < slotCount, start + length > 0 else { continue }
                for s in max(0, start)..<min(slotCount, start + length) { stacks[c][s].append(index) }
            }
        }
        // Who a cell shows: a visit that holds its time before one that gave it back (a
        // booking made where a cancelled visit sat must never hide behind it), then one
        // that starts in this slot, then the earlier.
        grid = stacks.map { column in
            column.enumerated().map { slot, stack in
                guard !stack.isEmpty else { return .empty }
                let ordered = stack.sorted { a, b in
                    let (liveA, liveB) = (data.appointments[a].holdsTime, data.appointments[b].holdsTime)
                    if liveA != liveB { return liveA }
                    if (starts[a] == slot) != (starts[b] == slot) { return starts[a] == slot }
                    return (starts[a] ?? 0, a) < (starts[b] ?? 0, b)
                }
                return ordered.first.map { starts[$0] == slot ? .start($0, others: stack.count - 1) : .continuation($0) } ?? .empty
            }
        }
        stacks = stacks.enumerated().map { c, column in
            column.enumerated().map { s, stack in
                // Most of a large practice's cells are empty, and stay so.
                guard stack.count > 1 else { return stack }
                // The one shown first, then the rest in the order they start.
                let shown = grid[c][s].appointmentIndex
                return stack.filter { $0 == shown } + stack.filter { $0 != shown }.sorted { (starts[$0] ?? 0, $0) < (starts[$1] ?? 0, $1) }
            }
        }
    }

    /// What a cell shows, with the visit `v` picked at the cursor (every visit sharing a
    /// slot can be reached).
    public func cell(column c: Int, slot s: Int) -> ScheduleCell {
        guard grid.indices.contains(c), grid[c].indices.contains(s) else { return .empty }
        guard let pick, pick.column == c, pick.slot == s, stacks[c][s].count > 1 else { return grid[c][s] }
        return .start(stacks[c][s][pick.layer % stacks[c][s].count], others: stacks[c][s].count - 1)
    }

    /// The visits under the cursor: the one shown, then the others sharing the slot.
    public var visitsInSlot: [Appointment] {
        guard stacks.indices.contains(column), stacks[column].indices.contains(slot) else { return [] }
        return stacks[column][slot].map { data.appointments[$0] }
    }

    /// Picks the next visit sharing the cursor's slot; answers which of how many it is.
    public mutating func pickNextInSlot() -> (Int, of: Int) {
        let count = visitsInSlot.count
        guard count > 1 else { return (1, of: count) }
        let current = pick.flatMap { $0.column == column && $0.slot == slot ? $0.layer : nil } ?? 0
        pick = SlotPick(column: column, slot: slot, layer: (current + 1) % count)
        return ((current + 1) % count + 1, of: count)
    }

    static func minutes(_ clock: String?) -> Int? {
        guard let parts = clock?.split(separator: ":"), parts.count >= 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        return h * 60 + m
    }

    static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    // MARK: Moving

    public mutating func moveCursor(rows: Int = 0, columns deltaColumns: Int = 0) {
        pick = nil
        slot = max(0, min(slotCount - 1, slot + rows))
        column = max(0, min(max(0, columns.count - 1), column + deltaColumns))
        keepCursorVisible()
    }

    public mutating func moveCursor(toSlot target: Int) {
        pick = nil
        slot = max(0, min(slotCount - 1, target))
        keepCursorVisible()
    }

    /// Puts the cursor on the slot nearest `time`, in today's view.
    public mutating func cursor(at time: LocalDateTime) {
        pick = nil
        slot = max(0, min(slotCount - 1, (time.hour * 60 + time.minute - firstMinute) / slotMinutes))
        keepCursorVisible()
    }

    public mutating func keepCursorVisible() {
        ListWindow.follow(slot, first: &top, count: slotCount, visible: visibleRows)
        ListWindow.follow(column, first: &left, count: columns.count, visible: visibleColumns)
    }

    /// Shows another day (or week); the caller reloads.
    public mutating func go(to day: LocalDateTime) {
        self.day = day.startOfDay
    }

    /// Switches between day and week; the week is that of the doctor under the cursor.
    public mutating func toggleWeek() {
        if isWeek {
            isWeek = false
            if let doctor = weekDoctor, let index = data.doctors.firstIndex(where: { $0.id == doctor }), columnsBy == .doctors {
                column = index
            }
            if let picked = selectedColumn?.day { day = picked }
        } else {
            weekDoctor = selectedColumn?.doctor ?? selectedAppointment?.doctor ?? data.doctors.first?.id
            isWeek = true
            column = (day.weekday + 6) % 7
        }
    }
}

/// A patient picked for something: an id and the name shown while it is pending.
public struct PatientChoice: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var doctor: Int?

    public init(id: Int, name: String, doctor: Int? = nil) { (self.id, self.name, self.doctor) = (id, name, doctor) }
}
