/// DrChrono's appointment statuses, each with the letter the schedule shows beside the
/// colour (so it reads on a monochrome terminal) and the style family that colours it.
public struct AppointmentStatus: Sendable, Equatable {
    public var name: String
    public var letter: Character
    public var style: String

    /// In the order the status picker offers them: the day's flow first.
    public static let all: [AppointmentStatus] = [
        .init(name: "", letter: "·", style: "status-booked"),
        .init(name: "Confirmed", letter: "C", style: "status-booked"),
        .init(name: "Not Confirmed", letter: "U", style: "status-booked"),
        .init(name: "Arrived", letter: "A", style: "status-arrived"),
        .init(name: "Checked In", letter: "I", style: "status-arrived"),
        .init(name: "Checked In Online", letter: "O", style: "status-arrived"),
        .init(name: "In Room", letter: "R", style: "status-in-room"),
        .init(name: "In Session", letter: "S", style: "status-in-room"),
        .init(name: "Complete", letter: "D", style: "status-complete"),
        .init(name: "Rescheduled", letter: "M", style: "status-cancelled"),
        .init(name: "Cancelled", letter: "X", style: "status-cancelled"),
        .init(name: "No Show", letter: "N", style: "status-no-show"),
    ]

    public static func named(_ name: String) -> AppointmentStatus {
        all.first { $0.name == name } ?? .init(name: name, letter: "?", style: "status-booked")
    }

    /// "Checked In", or "Booked" for DrChrono's empty status.
    public var label: String { name.isEmpty ? "Booked" : name }
}
