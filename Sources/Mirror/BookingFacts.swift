import DrChronoAPI
import GRDB

/// What the mirror knows that bears on a booking before it is queued: whether its
/// doctor, office, room and patient exist, the office's hours, and the day's other
/// visits of that doctor or in that room. The check itself (`BookingCheck` in the
/// console) reads only these values, never the database.
public struct BookingFacts: Sendable, Equatable {
    /// Another visit that day of the same doctor, or in the same room.
    public struct Neighbour: Sendable, Equatable {
        public var start: LocalDateTime
        public var duration: Int
        public var status: String
        public var doctor: Int?
        public var isBreak: Bool
        /// "María López", or nil when the patient is not in the mirror.
        public var patientName: String?
        /// The room's name, or nil when the mirror does not know it.
        public var roomName: String?
    }

    /// The doctor's last name; nil when there is no such doctor.
    public var doctorLastName: String?
    /// The office's name and hours ("08:00:00"); nil when there is no such office.
    public var office: (name: String, opens: String?, closes: String?)?
    /// The exam room's name in that office; nil when it has no such room.
    public var roomName: String?
    public var patientExists: Bool
    public var neighbours: [Neighbour]

    public static func == (a: BookingFacts, b: BookingFacts) -> Bool {
        a.doctorLastName == b.doctorLastName && a.office?.name == b.office?.name && a.office?.opens == b.office?.opens
            && a.office?.closes == b.office?.closes && a.roomName == b.roomName && a.patientExists == b.patientExists
            && a.neighbours == b.neighbours
    }
}

extension MirrorQueries {
    /// The facts a check of `booking` needs.
    public static func bookingFacts(_ db: Database, for booking: Outbox.Booking) throws -> BookingFacts {
        func roomName(office: Int?, room: Int?) throws -> String? {
            try String.fetchOne(db, sql: "SELECT name FROM exam_rooms WHERE office_id = ? AND room_index = ?", arguments: [office, room])
        }
        let doctor = try String.fetchOne(db, sql: "SELECT last_name FROM doctors WHERE id = ?", arguments: [booking.doctor])
        let office = try Row.fetchOne(db, sql: "SELECT name, start_time, end_time FROM offices WHERE id = ?", arguments: [booking.office])
            .map { (name: $0["name"] as String, opens: $0["start_time"] as String?, closes: $0["end_time"] as String?) }
        var neighbours: [BookingFacts.Neighbour] = []
        for other in try daySchedule(db, day: booking.scheduledTime.dateString)
        where other.doctor == booking.doctor || (other.office == booking.office && other.examRoom == booking.examRoom) {
            guard let start = other.scheduledTime else { continue }
            let patient = try other.patient.flatMap { try Self.patient(db, id: $0) }
            neighbours.append(
                BookingFacts.Neighbour(
                    start: start, duration: other.duration, status: other.status, doctor: other.doctor, isBreak: other.isBreak,
                    patientName: patient.map { "\($0.firstName) \($0.lastName)" },
                    roomName: try roomName(office: other.office, room: other.examRoom)))
        }
        return BookingFacts(
            doctorLastName: doctor, office: office, roomName: try roomName(office: booking.office, room: booking.examRoom),
            // A patient registered here may have been confirmed since the form opened.
            patientExists: try patient(db, id: try Outbox.currentPatientId(of: booking.patient, in: db)) != nil, neighbours: neighbours)
    }
}
