import DrChronoAPI
import Mirror

/// A clinician's day: their own visits today, with the labs that came in since they last
/// looked at each chart; Enter opens the chart.
public struct MyDayList: Sendable, Equatable {
    public var day: LocalDateTime
    /// Whose visits: the person's own doctors, or every doctor when none is set.
    public var doctors: [Int]
    public var rows: [DayVisit] = []
    public var selected = 0

    public init(day: LocalDateTime, doctors: [Int]) { (self.day, self.doctors) = (day.startOfDay, doctors) }

    public var title: String {
        "My day \(day.month)/\(day.day)/\(day.year)" + (doctors.isEmpty ? ", every doctor (no doctor is set for you)" : "")
    }

    /// A visit's line: time, status, patient, reason, and its new results.
    public static func line(_ row: DayVisit) -> String {
        let clock = row.appointment.scheduledTime?.clock ?? ""
        let status = AppointmentStatus.named(row.appointment.status).label
        var line =
            String(repeating: " ", count: max(0, 8 - clock.count)) + clock + "  "
            + status.padding(toLength: 12, withPad: " ", startingAt: 0)
            + row.patientName.padding(toLength: 26, withPad: " ", startingAt: 0)
            + row.appointment.reason.padding(toLength: 22, withPad: " ", startingAt: 0)
        if row.newResults > 0 {
            line += "● \(row.newResults) new result\(row.newResults == 1 ? "" : "s")"
            if row.newAbnormal > 0 { line += ", \(row.newAbnormal) ABNORMAL" }
        }
        return line
    }
}
