import DrChronoAPI

/// A visit's status as the schedule shows it: the letter beside the colour (so it reads
/// on a monochrome terminal) and the style family that colours it. The statuses and
/// their rules are ``VisitStatus``'s; this is how they look.
public struct AppointmentStatus: Sendable, Equatable {
    /// DrChrono's status (nil: one the practice added).
    public var status: VisitStatus?
    public var name: String
    public var letter: Character
    public var style: String

    /// In the order the status picker offers them: the day's flow first.
    public static let all: [AppointmentStatus] = VisitStatus.allCases.map(AppointmentStatus.init(status:))

    init(status: VisitStatus) {
        self.status = status
        name = status.rawValue
        (letter, style) =
            switch status {
            case .booked: ("·", "status-booked")
            case .confirmed: ("C", "status-booked")
            case .notConfirmed: ("U", "status-booked")
            case .arrived: ("A", "status-arrived")
            case .checkedIn: ("I", "status-arrived")
            case .checkedInOnline: ("O", "status-arrived")
            case .inRoom: ("R", "status-in-room")
            case .inSession: ("S", "status-in-room")
            case .complete: ("D", "status-complete")
            case .rescheduled: ("M", "status-cancelled")
            case .cancelled: ("X", "status-cancelled")
            case .noShow: ("N", "status-no-show")
            }
    }

    public static func named(_ name: String) -> AppointmentStatus {
        VisitStatus(rawValue: name).map(AppointmentStatus.init(status:))
            ?? AppointmentStatus(status: nil, name: name, letter: "?", style: "status-booked")
    }

    init(status: VisitStatus?, name: String, letter: Character, style: String) {
        (self.status, self.name, self.letter, self.style) = (status, name, letter, style)
    }

    /// "Checked In", or "Booked" for DrChrono's empty status.
    public var label: String { status?.label ?? name }
}
