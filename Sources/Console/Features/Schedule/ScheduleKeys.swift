import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The schedule pane's keys: moving through the day, booking, moving, statuses.
extension ConsoleModel {
    // MARK: Schedule

    mutating func scheduleAction(_ action: Action) -> [Effect] {
        let page = max(1, schedule.visibleRows - 1)
        switch action {
        case .up: schedule.moveCursor(rows: -1)
        case .down: schedule.moveCursor(rows: 1)
        case .left, .right:
            schedule.moveCursor(columns: action == .left ? -1 : 1)
            // Past the doctors whose day was read: read the doctors now on screen.
            if schedule.needsWiderRead { return [.reload(.schedule)] }
        case .nextInSlot:
            let (which, count) = schedule.pickNextInSlot()
            if count > 1, let visit = schedule.selectedAppointment {
                say(
                    "Visit \(which) of \(count) in this slot: \(schedule.data.patientName(visit)), \(AppointmentStatus.named(visit.status).label)."
                )
            } else {
                say(count == 1 ? "Only one visit in this slot." : "No visit in this slot.")
            }
        case .pageUp: schedule.moveCursor(rows: -page)
        case .pageDown: schedule.moveCursor(rows: page)
        case .top: schedule.moveCursor(toSlot: 0)
        case .bottom: schedule.moveCursor(toSlot: schedule.slotCount - 1)
        case .today:
            schedule.go(to: now)
            schedule.cursor(at: now)
            return [.reload(.schedule)]
        case .nextDay, .previousDay:
            let step = (action == .nextDay ? 1 : -1) * (schedule.isWeek ? 7 : 1)
            schedule.go(to: schedule.day.adding(days: step))
            return [.reload(.schedule)]
        case .goToDate: overlay = .goToDate(TextField(limit: 20), error: nil)
        case .toggleWeek:
            schedule.toggleWeek()
            return [.reload(.schedule)]
        case .toggleColumns:
            if schedule.isWeek { schedule.toggleWeek() }
            schedule.columnsBy = schedule.columnsBy == .doctors ? .rooms : .doctors
            schedule.column = 0
            return [.reload(.schedule)]
        case .open:
            if schedule.moving != nil { return placeMovingAppointment() }
            if let appointment = schedule.selectedAppointment, !appointment.isBreak {
                return requireWrite {
                    $0.overlay = .statusPicker(appointment, selection: Self.statusIndex(appointment.status)); return []
                }
            }
            return scheduleAction(.book)
        case .book: return requireWrite { $0.bookAtCursor() }
        case .move:
            guard let appointment = schedule.selectedAppointment, !appointment.isBreak else {
                say("Put the cursor on an appointment to move it."); return []
            }
            return requireWrite {
                $0.schedule.moving = appointment
                $0.say(
                    "Moving \($0.schedule.data.patientName(appointment)): go to the new slot and press Enter (Esc to stop).", seconds: 30)
                return []
            }
        case .setStatus:
            guard let appointment = schedule.selectedAppointment, !appointment.isBreak else {
                say("Put the cursor on an appointment first."); return []
            }
            return requireWrite {
                $0.overlay = .statusPicker(appointment, selection: Self.statusIndex(appointment.status)); return []
            }
        case .checkIn:
            guard let appointment = schedule.selectedAppointment, !appointment.isBreak else {
                say("Put the cursor on an appointment to check the patient in."); return []
            }
            return requireWrite { $0.checkIn(appointment) }
        case .cancel:
            guard let appointment = schedule.selectedAppointment, !appointment.isBreak else {
                say("Put the cursor on an appointment to cancel it."); return []
            }
            return requireWrite {
                $0.overlay = .confirmCancel(appointment, name: $0.schedule.data.patientName(appointment)); return []
            }
        case .billing:
            guard let appointment = schedule.selectedAppointment, !appointment.isBreak else {
                say("Put the cursor on an appointment to see its billing."); return []
            }
            billing.day = schedule.selectedColumn?.day ?? schedule.day
            billing.wanted = appointment.id
            show(.billing)
            return [.reload(.billing)]
        case .confirmList: return openConfirmList()
        case .findSlot: return openFindSlot()
        case .chart:
            guard let patient = schedule.selectedAppointment?.patient else {
                say("Put the cursor on an appointment to open the patient's chart."); return []
            }
            return openChart(patient)
        default: break
        }
        return []
    }

    mutating func bookAtCursor() -> [Effect] {
        guard let slot = schedule.selectedSlot else {
            say("There is no doctor or room to book with yet: wait for the first sync."); return []
        }
        if let appointment = schedule.selectedAppointment {
            say("\(slot.time.clock) is taken by \(schedule.data.patientName(appointment)): choose an empty slot.", error: true)
            return []
        }
        if let patient = schedule.bookingFor {
            schedule.bookingFor = nil
            openBookingForm(slot: slot, patient: patient)
            return []
        }
        search.pickingFor = slot
        search.editing = true
        search.query.text = ""
        show(.search)
        say("Booking \(slot.column.title) at \(slot.time.clock): type the patient's name, then Enter.", seconds: 30)
        return [.reload(.search)]
    }

    mutating func openBookingForm(slot: BookingSlot, patient: PatientChoice) {
        let doctors = schedule.data.doctors
        let wantedDoctor = slot.column.doctor ?? patient.doctor
        var rooms: [BookingForm.Room] = []
        for office in schedule.data.offices {
            for room in office.examRooms {
                rooms.append(
                    .init(
                        office: office.id, room: room.index,
                        name: schedule.data.offices.count > 1 ? "\(office.name) · \(room.name)" : room.name))
            }
        }
        var roomIndex = 0
        if let office = slot.column.office, let room = slot.column.room {
            roomIndex = rooms.firstIndex { $0.office == office && $0.room == room } ?? 0
        } else {
            // The first room free at that time.
            let start = slot.time
            roomIndex =
                rooms.firstIndex { room in
                    !schedule.data.appointments.contains { other in
                        guard other.office == room.office, other.examRoom == room.room, let otherStart = other.scheduledTime,
                            other.holdsTime
                        else { return false }
                        return otherStart < start.adding(minutes: 30) && start < otherStart.adding(minutes: other.duration)
                    }
                } ?? 0
        }
        // How long the slot is free for the doctor (or the room), up to the next visit:
        // a default 30 minutes must not run into it unnoticed.
        let start = slot.time
        let chosenRoom = rooms.indices.contains(roomIndex) ? rooms[roomIndex] : nil
        let next = schedule.data.appointments.compactMap { other -> LocalDateTime? in
            guard let otherStart = other.scheduledTime, otherStart > start, otherStart < start.adding(minutes: 30),
                other.holdsTime
            else { return nil }
            let sameDoctor = wantedDoctor != nil && other.doctor == wantedDoctor
            let sameRoom = chosenRoom.map { other.office == $0.office && other.examRoom == $0.room } ?? false
            return sameDoctor || sameRoom ? otherStart : nil
        }.min()
        let free = next.map { ($0.secondsSinceEpoch - start.secondsSinceEpoch) / 60 }
        var form = BookingForm(
            patient: patient, time: slot.time, doctors: doctors,
            doctorIndex: doctors.firstIndex { $0.id == wantedDoctor } ?? 0, rooms: rooms, roomIndex: roomIndex,
            visitTypes: schedule.data.visitTypes, freeMinutes: free.flatMap { $0 >= 5 ? $0 : nil })
        if let choice = slotChoice {
            // A slot find-slot found: free for the minutes searched, with its visit type.
            slotChoice = nil
            form.freeMinutes = nil
            form.duration.text = String(choice.minutes)
            if let type = choice.visitType, let index = form.offeredVisitTypes.firstIndex(where: { $0.id == type }) {
                form.visitTypeIndex = index
                form.reason.text = form.offeredVisitTypes[index].reason
            }
        }
        overlay = .booking(form)
        pane = .schedule
    }

    mutating func placeMovingAppointment() -> [Effect] {
        guard let moving = schedule.moving, let slot = schedule.selectedSlot else { return [] }
        schedule.moving = nil
        if let other = schedule.selectedAppointment, other.id != moving.id, !other.allowOverlapping {
            say(
                "\(slot.time.clock) is taken by \(schedule.data.patientName(other)): \(schedule.data.patientName(moving)) stays where it was.",
                error: true)
            return []
        }
        return [queue(.move(appointment: moving.id, to: slot, who: schedule.data.patientName(moving)))]
    }

    static func statusIndex(_ status: String) -> Int { AppointmentStatus.all.firstIndex { $0.name == status } ?? 0 }

    mutating func requireWrite(_ kind: WorkArea = .schedule, _ body: (inout ConsoleModel) -> [Effect]) -> [Effect] {
        guard writes.contains(kind) else {
            let what =
                switch kind {
                case .schedule: "change the schedule"
                case .patients: "register or change patients"
                case .billing: "add charges"
                }
            let text: String
            switch (person, writes.isEmpty) {
            case (let person?, true):
                text =
                    "\(person) (\(role.rawValue)) can look but not book or bill; the office manager sets a person's role (chronoterm people)."
            case (let person?, false): text = "\(person) (\(role.rawValue)) cannot \(what)."
            case (nil, true):
                text =
                    "This profile is read-only (\(role.rawValue)): it can look but not book or bill. Set allow_writes in the profile to change that."
            case (nil, false): text = "This profile (\(role.rawValue)) cannot \(what)."
            }
            say(text, error: true)
            return []
        }
        return body(&self)
    }
}
