import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The booking form: the slot and patient already picked; the visit type (which fills
/// duration and reason), duration, reason, and the room (or doctor) to confirm.
public struct BookingForm: Sendable, Equatable {
    public struct Room: Sendable, Equatable { public var office: Int, room: Int, name: String }

    public var patient: PatientChoice
    public var time: LocalDateTime
    public var doctors: [Doctor]
    public var doctorIndex: Int
    public var rooms: [Room]
    public var roomIndex: Int
    /// The practice's visit types; those of another doctor are not offered.
    public var visitTypes: [AppointmentProfile] = []
    /// Index into ``offeredVisitTypes``; nil: none chosen.
    public var visitTypeIndex: Int?
    public var duration = TextField("30", limit: 3)
    public var reason = TextField(limit: 200)
    /// How long the slot is free, when something follows it within half an hour: the
    /// duration starts there, and the form says so.
    public var freeMinutes: Int?
    /// 0 visit type, 1 duration, 2 reason, 3 doctor, 4 room.
    public var field = Field.visitType
    public var problems: [WriteProblem] = []
    /// Set once the person has seen the warnings and pressed Enter again.
    public var warningsSeen = false

    /// The form's fields, in the order Tab visits them.
    public enum Field: FormField {
        case visitType, duration, reason, doctor, room

        public var title: String {
            switch self {
            case .visitType: "Visit type"
            case .duration: "Duration"
            case .reason: "Reason"
            case .doctor: "Doctor"
            case .room: "Room"
            }
        }
    }

    public init(
        patient: PatientChoice, time: LocalDateTime, doctors: [Doctor], doctorIndex: Int, rooms: [Room], roomIndex: Int,
        visitTypes: [AppointmentProfile] = [], freeMinutes: Int? = nil
    ) {
        (self.patient, self.time, self.doctors, self.doctorIndex, self.rooms, self.roomIndex) = (
            patient, time, doctors, doctorIndex, rooms, roomIndex
        )
        self.visitTypes = visitTypes
        if let freeMinutes, freeMinutes < 30 {
            self.freeMinutes = freeMinutes
            duration.text = String(freeMinutes)
        }
    }

    public var doctor: Doctor? { doctors.indices.contains(doctorIndex) ? doctors[doctorIndex] : nil }
    public var room: Room? { rooms.indices.contains(roomIndex) ? rooms[roomIndex] : nil }
    /// The visit types for the chosen doctor: the practice's and the doctor's own.
    public var offeredVisitTypes: [AppointmentProfile] { visitTypes.filter { $0.doctor == nil || $0.doctor == doctor?.id } }
    public var visitType: AppointmentProfile? {
        visitTypeIndex.flatMap { offeredVisitTypes.indices.contains($0) ? offeredVisitTypes[$0] : nil }
    }

    /// Handles a key; answers true when the person submitted the form.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .enter: return true
        case .tab, .down: field = field.moved(by: 1)
        case .backTab, .up: field = field.moved(by: -1)
        case .left, .right:
            let step = key == .left ? -1 : 1
            if field == .visitType { chooseVisitType(step: step) }
            if field == .doctor, !doctors.isEmpty {
                doctorIndex = (doctorIndex + step + doctors.count) % doctors.count
                visitTypeIndex = nil
                warningsSeen = false
            }
            if field == .room, !rooms.isEmpty { roomIndex = (roomIndex + step + rooms.count) % rooms.count; warningsSeen = false }
        default:
            if field == .duration {
                if case .character(let c) = key, !c.isNumber { return false }
                duration.handle(key)
                warningsSeen = false
            } else if field == .reason {
                reason.handle(key)
            }
        }
        return false
    }

    /// ←/→ on the visit type: none, then each type; a type fills duration and reason
    /// (a reason typed by hand is kept).
    mutating func chooseVisitType(step: Int) {
        let types = offeredVisitTypes
        guard !types.isEmpty else { return }
        let positions = types.count + 1  // "none" and each type
        let current = (visitTypeIndex ?? -1) + 1
        let next = (current + step + positions) % positions
        let previous = visitType
        visitTypeIndex = next == 0 ? nil : next - 1
        warningsSeen = false
        guard let chosen = visitType else { return }
        if let minutes = chosen.duration, minutes > 0 { duration.text = String(minutes) }
        if reason.text.isEmpty || reason.text == previous?.reason { reason.text = chosen.reason }
    }

    public var draft: BookingDraft {
        BookingDraft(
            patient: patient.id, doctor: doctor?.id ?? 0, office: room?.office ?? 0, room: room?.room ?? 0, time: time,
            duration: Int(duration.text) ?? 0, reason: reason.text, allowOverlapping: warningsSeen, visitType: visitType?.id,
            color: visitType?.color)
    }
}

/// A booking as the console hands it to the write queue.
public struct BookingDraft: Sendable, Equatable {
    public var patient: Int, doctor: Int, office: Int, room: Int
    public var time: LocalDateTime
    public var duration: Int
    public var reason: String
    public var allowOverlapping: Bool
    public var visitType: Int? = nil
    public var color: String? = nil

    public var booking: Outbox.Booking {
        var booking = Outbox.Booking(
            doctor: doctor, office: office, examRoom: room, patient: patient, scheduledTime: time, duration: duration)
        booking.reason = reason
        booking.allowOverlapping = allowOverlapping
        booking.profile = visitType
        booking.color = color
        return booking
    }
}
