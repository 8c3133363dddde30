import DrChronoAPI
import Foundation

/// The living practice's state: what is still to happen and what has happened.
struct ActivityLog: Sendable {
    var planner: PracticeActivity
    /// Events not yet made, in time order.
    private(set) var queue: [ActivityEvent] = []
    private var next = 0
    /// The last day (`dayNumber`) planned.
    var plannedDay: Int?
    private(set) var changes: [ActivityChange] = []
    /// Indexes into `changes` of those no client has read yet, by resource and id.
    private var unserved: [String: [Int: [Int]]] = [:]
    /// Index into `changes` of each row's newest change, by resource and id.
    private var newest: [String: [Int: Int]] = [:]
    /// Events made so far: each one's choices come from a generator seeded by it.
    private(set) var made = 0

    init(seed: UInt64) { planner = PracticeActivity(seed: seed) }

    /// The next event due at or before `time` (practice wall-clock seconds), taken.
    mutating func take(upTo time: Int) -> ActivityEvent? {
        guard next < queue.count, queue[next].time <= time else { return nil }
        let event = queue[next]
        next += 1
        made += 1
        // What is made is dropped now and then, so weeks of activity stay small.
        if next > 4096 {
            queue.removeFirst(next)
            next = 0
        }
        return event
    }

    var nextTime: Int? { next < queue.count ? queue[next].time : nil }
    var pending: Int { queue.count - next }

    mutating func add(_ events: [ActivityEvent]) {
        queue = Array(queue[next...]) + events
        next = 0
        // Stable: a day's events stay in the order they were planned.
        queue = queue.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    mutating func record(_ change: ActivityChange) {
        unserved[change.resource, default: [:]][change.id, default: []].append(changes.count)
        newest[change.resource, default: [:]][change.id] = changes.count
        changes.append(change)
    }

    /// A client was sent these rows at `time`: every change to them so far reached it.
    /// `listed`: in a list page (what "read once" counts), not a webhook or the object.
    mutating func served(_ resource: String, ids: [Int], at time: Double, listed: Bool) {
        guard let latest = newest[resource] else { return }
        var byId = unserved[resource] ?? [:]
        for id in ids {
            guard let index = latest[id] else { continue }
            if listed { changes[index].listed += 1 }
            guard let waiting = byId.removeValue(forKey: id) else { continue }
            for index in waiting { changes[index].servedAt = time }
        }
        unserved[resource] = byId
    }
}

extension SandboxState {
    /// Makes every activity event due by now, each stamped with its own moment, so the
    /// practice a request sees is the one it would see had people worked in real time.
    func runActivity() {
        guard activity != nil else { return }
        let today = localNow.startOfDay
        if activity!.plannedDay == nil {
            activity!.add(activity!.planner.plan(day: today, practice: practice, after: localNow.secondsSinceEpoch))
            activity!.plannedDay = today.dayNumber
        }
        while let planned = activity!.plannedDay, planned < today.dayNumber {
            // A clock moved on by weeks replays at most the last week.
            let day = LocalDateTime(secondsSinceEpoch: max(planned + 1, today.dayNumber - 6) * 86400)
            activity!.add(activity!.planner.plan(day: day, practice: practice, after: day.secondsSinceEpoch - 1))
            activity!.plannedDay = day.dayNumber
            apply(upTo: day.adding(days: 1).secondsSinceEpoch - 1)
        }
        apply(upTo: localNow.secondsSinceEpoch)
    }

    /// The sandbox time (epoch seconds) of the next activity event, if any is planned.
    var nextActivityTime: Double? {
        activity?.nextTime.map { LocalDateTime(secondsSinceEpoch: $0).date(in: timeZone).timeIntervalSince1970 }
    }

    private func apply(upTo time: Int) {
        while let event = activity!.take(upTo: time) {
            activityClock = LocalDateTime(secondsSinceEpoch: event.time).date(in: timeZone).timeIntervalSince1970
            var rng = SeededRandom(seed: activity!.planner.seed &+ UInt64(activity!.made) &* 0xD1B5_4A32_D192_ED03)
            make(event, rng: &rng)
            activityClock = nil
        }
    }

    private func make(_ event: ActivityEvent, rng: inout SeededRandom) {
        let now = localNow
        switch event.action {
        case .visit(let id, let status):
            guard let visit = practice.appointments[id], !visit.deleted, visit.scheduledTime.dayNumber == now.dayNumber,
                !["Cancelled", "Rescheduled", "No Show"].contains(visit.status)
            else { return }
            changeAppointment(id, "status \(status)", today: true) { $0.status = status }
            // At check-in the desk (in DrChrono's web app) takes the copay, seven times in eight.
            if status == "Checked In", let patientId = visit.patient, let patient = practice.patients[patientId],
                let copay = patient.copay.flatMap(Double.init), copay > 0, rng.chance(0.875)
            {
                let payment = PaymentRecord(
                    id: max(900_000, practice.payments.lastId) + 1, patient: patientId, doctor: visit.doctor, appointment: id,
                    amount: copay, method: rng.pick(["CASH", "CRDT", "DBIT", "VISA"]), transactionType: "COPAY",
                    receivedDate: now.dateString, postedDate: now.dateString, notes: "", traceNumber: "",
                    createdBy: rng.pick(["frontdesk", "frontdesk2"]), createdAt: now, updatedAt: now)
                practice.payments.insert(payment, id: payment.id)
                record("patient_payments", payment.id, "copay", today: false)
            }
        case .signNote(let id):
            guard let visit = practice.appointments[id], !visit.deleted, visit.status == "Complete", let patient = visit.patient else {
                return
            }
            let signer = practice.doctors[visit.doctor].map { "\($0.firstName.lowercased()).\($0.lastName.lowercased())" } ?? "doctor"
            var note =
                practice.note(forAppointment: id)
                ?? ClinicalNoteRecord(
                    id: practice.notes.lastId + 1, appointment: id, patient: patient, doctor: visit.doctor, office: visit.office,
                    sections: [], lockedBy: nil, archived: false, createdAt: now, updatedAt: now)
            guard note.lockedBy == nil else { return }
            note.lockedBy = signer
            note.updatedAt = now
            practice.insertNote(note)
            enqueueWebhook("CLINICAL_NOTE_LOCK", note.json)
            record("clinical_notes", note.id, "signed", today: false)
        case .charge(let id):
            guard let visit = practice.appointments[id], !visit.deleted, visit.status == "Complete" else { return }
            let code = rng.pick(Array(SyntheticPeople.cptCodes.prefix(5)))
            let item = LineItemRecord(
                id: practice.lineItems.lastId + 1, appointment: id, patient: visit.patient ?? 0, doctor: visit.doctor, code: code.0,
                procedureType: "C", description: code.1, modifiers: [],
                diagnosisPointers: visit.icd10Codes.isEmpty ? ["1"] : visit.icd10Codes,
                units: "UN", quantity: 1, price: code.2, serviceDate: visit.scheduledTime.dateString, postedDate: nil, billingStatus: "",
                createdAt: now, updatedAt: now)
            practice.lineItems.insert(item, id: item.id)
            record("line_items", item.id, "charge \(code.0)", today: false)
        case .book(let doctor):
            guard let patient = practice.patients.ids.isEmpty ? nil : rng.pick(practice.patients.ids),
                let (day, office, room) = workingDay(of: doctor, rng: &rng)
            else { return }
            let profile = practice.profiles.ids.isEmpty ? nil : practice.profiles[rng.pick(practice.profiles.ids)]
            let minutes = profile?.duration ?? 30
            guard let start = freeSlot(doctor: doctor, office: office, room: room, day: day, minutes: minutes, rng: &rng) else { return }
            let visit = AppointmentRecord(
                id: practice.appointments.lastId + 1, doctor: doctor, office: office, examRoom: room, patient: patient,
                scheduledTime: start,
                duration: minutes, status: "", reason: profile?.reason ?? "Office visit", notes: "", profile: profile?.id, isBreak: false,
                isWalkIn: false, allowOverlapping: false, deleted: false, icd10Codes: [], color: profile?.color ?? "", createdAt: now,
                updatedAt: now)
            practice.insertAppointment(visit)
            enqueueWebhook("APPOINTMENT_CREATE", visit.json(note: nil))
            record("appointments", visit.id, "booked", today: false)
        case .cancel(let doctor):
            guard let id = comingVisit(of: doctor, rng: &rng) else { return }
            if rng.chance(1.0 / 3) {
                changeAppointment(id, "deleted", today: false) { $0.deleted = true }
            } else {
                changeAppointment(id, "cancelled", today: false) { $0.status = "Cancelled" }
            }
        case .reschedule(let doctor):
            guard let id = comingVisit(of: doctor, rng: &rng), let visit = practice.appointments[id],
                let (day, _, _) = workingDay(of: doctor, rng: &rng),
                let start = freeSlot(
                    doctor: doctor, office: visit.office, room: visit.examRoom, day: day, minutes: visit.duration, rng: &rng)
            else { return }
            changeAppointment(id, "moved", today: false) { $0.scheduledTime = start }
        case .editPatient:
            guard !practice.patients.ids.isEmpty else { return }
            let id = rng.pick(practice.patients.ids)
            let phone = "(555) 01\(rng.int(0...9))-\(String(1000 + rng.int(0...8999)))"
            guard
                let patient = practice.patients.update(
                    id,
                    {
                        $0.cellPhone = phone; $0.updatedAt = now
                    })
            else { return }
            enqueueWebhook("PATIENT_MODIFY", patient.json)
            record("patients", id, "phone changed", today: false)
        case .remind:
            var day = now.startOfDay
            var days: [Int] = []
            while days.count < PracticeActivity.reminderDays {
                day = day.adding(days: 1)
                if day.weekday != 0 && day.weekday != 6 { days.append(day.dayNumber) }
            }
            for id in practice.appointmentIds(onDays: days.first!...days.last!).sorted() {
                guard let visit = practice.appointments[id], !visit.isBreak, visit.blocksTime else { continue }
                changeAppointment(id, "reminded", today: false, bulk: true) { _ in }
            }
        }
    }

    private func changeAppointment(
        _ id: Int, _ what: String, today: Bool, bulk: Bool = false, _ change: (inout AppointmentRecord) -> Void
    ) {
        let now = localNow
        guard
            let visit = practice.updateAppointment(
                id,
                {
                    change(&$0); $0.updatedAt = now
                })
        else { return }
        enqueueWebhook("APPOINTMENT_MODIFY", visit.json(note: practice.note(forAppointment: id)))
        activity!.record(ActivityChange(resource: "appointments", id: id, what: what, at: self.now, today: today, bulk: bulk))
    }

    private func record(_ resource: String, _ id: Int, _ what: String, today: Bool) {
        activity!.record(ActivityChange(resource: resource, id: id, what: what, at: now, today: today, bulk: false))
    }

    /// A working day 1 to 21 days ahead, with the office and room the doctor works in
    /// (as the generator placed them).
    private func workingDay(of doctor: Int, rng: inout SeededRandom) -> (LocalDateTime, Int, Int)? {
        guard let index = practice.doctors.ids.firstIndex(of: doctor), practice.offices.count > 0 else { return nil }
        var day = localNow.startOfDay.adding(days: rng.int(1...21))
        while day.weekday == 0 || day.weekday == 6 { day = day.adding(days: 1) }
        let officeIds = practice.offices.ids
        let office = officeIds[index % officeIds.count]
        let rooms = max(1, practice.offices[office]?.examRooms.count ?? 1)
        return (day, office, (index / officeIds.count) % rooms + 1)
    }

    /// A free start on the quarter hour between 8 am and 5 pm, if one of a few tries is free.
    private func freeSlot(doctor: Int, office: Int, room: Int, day: LocalDateTime, minutes: Int, rng: inout SeededRandom) -> LocalDateTime?
    {
        for _ in 0..<12 {
            let start = day.adding(minutes: 8 * 60 + 15 * rng.int(0..<(36 - (minutes + 14) / 15)))
            if practice.overlapping(doctor: doctor, office: office, room: room, start: start, minutes: minutes, excluding: nil).isEmpty {
                return start
            }
        }
        return nil
    }

    /// One of the doctor's booked visits 1 to 21 days ahead.
    private func comingVisit(of doctor: Int, rng: inout SeededRandom) -> Int? {
        let today = localNow.dayNumber
        for _ in 0..<5 {
            let day = today + rng.int(1...21)
            let visits = practice.appointmentIds(onDays: day...day).sorted().filter { id in
                guard let visit = practice.appointments[id] else { return false }
                return visit.doctor == doctor && !visit.isBreak && visit.blocksTime
            }
            if !visits.isEmpty { return rng.pick(visits) }
        }
        return nil
    }

    /// A client was sent rows: note it against the changes waiting to be read.
    func noteServed(_ resource: String, ids: [Int], listed: Bool) {
        guard activity != nil, !ids.isEmpty else { return }
        activity!.served(resource, ids: ids, at: now, listed: listed)
    }

    var activityJSON: JSONValue {
        guard let activity else { return .object(["mode": .string(ActivityMode.off.rawValue)]) }
        return .object([
            "mode": .string(ActivityMode.day.rawValue), "pending_events": .int(activity.pending),
            "changes": .array(activity.changes.map(\.json)),
        ])
    }
}
