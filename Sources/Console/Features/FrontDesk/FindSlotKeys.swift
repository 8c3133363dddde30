import DrChronoAPI
import Foundation
import Mirror

/// Finding the next free slot, and booking it.
extension ConsoleModel {
    /// `find-slot`: from a patient's row (or a booking begun for one) the slot is for
    /// them; from the schedule, the patient is picked after.
    mutating func openFindSlot() -> [Effect] {
        let patient: PatientChoice? =
            pane == .search
            ? search.selectedRow.map { PatientChoice(id: $0.patient.id, name: $0.name, doctor: $0.patient.doctor) } : schedule.bookingFor
        // The patient's own doctor; from the schedule, the doctor under the cursor.
        let doctor = patient?.doctor ?? schedule.selectedColumn?.doctor
        overlay = .findSlot(
            FindSlotForm(
                doctors: schedule.data.doctors, visitTypes: schedule.data.visitTypes, offices: schedule.data.offices, doctor: doctor,
                patient: patient))
        return []
    }

    mutating func pressInFindSlot(_ form: FindSlotForm, _ key: Key) -> [Effect] {
        var form = form
        if key == .escape {
            overlay = nil
            return []
        }
        if form.field == .results, key == .enter, let slots = form.results, slots.indices.contains(form.selected) {
            return requireWrite { $0.book(slots[form.selected], from: form) }
        }
        guard form.handle(key) else {
            overlay = .findSlot(form)
            return []
        }
        switch form.request(today: now) {
        case .problem(let problem):
            form.error = problem
            overlay = .findSlot(form)
            return []
        case .search(let request):
            overlay = .findSlot(form)
            return [.findSlots(request, now: now)]
        }
    }

    /// Books a slot found: the booking form for the patient, with the search's visit
    /// type and minutes, or — without a patient yet — the patient search first.
    mutating func book(_ found: SlotFinder.Slot, from form: FindSlotForm) -> [Effect] {
        overlay = nil
        let doctorName = schedule.data.doctorName(found.doctor)
        let slot = BookingSlot(
            column: ScheduleColumn(
                title: doctorName, day: found.start.startOfDay, doctor: found.doctor, office: found.office, room: found.room),
            time: found.start)
        schedule.go(to: found.start)
        show(.schedule)
        let minutes = Int(form.duration.text) ?? 30
        slotChoice = (minutes, form.visitType?.id)
        guard let patient = form.patient else {
            search.pickingFor = slot
            search.editing = true
            search.query.text = ""
            show(.search)
            say(
                "Booking \(doctorName) at \(found.start.clock) on \(found.start.month)/\(found.start.day): type the patient's name, then Enter.",
                seconds: 30)
            return [.reload(.schedule), .reload(.search)]
        }
        schedule.bookingFor = nil
        openBookingForm(slot: slot, patient: patient)
        return [.reload(.schedule)]
    }
}
