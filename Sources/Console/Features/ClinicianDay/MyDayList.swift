import DrChronoAPI
import Mirror
import Practice

/// A clinician's day: their own visits today, with the labs that came in since they last
/// looked at each chart; Enter opens the chart.
public struct MyDayList: Sendable, Equatable {
    public var day: LocalDateTime
    /// Whose visits: the person's own doctors, or every doctor when none is set.
    public var doctors: [Int]
    public var rows: [DayVisit] = []
    public var selected = 0
    /// The practice's doctors' names ("Dr. Patel"), for the doctor column of a day
    /// that holds every doctor's visits.
    public var doctorNames: [Int: String] = [:]

    public init(day: LocalDateTime, doctors: [Int], doctorNames: [Int: String] = [:]) {
        (self.day, self.doctors, self.doctorNames) = (day.startOfDay, doctors, doctorNames)
    }

    public var title: String {
        "My day \(day.month)/\(day.day)/\(day.year)" + (doctors.isEmpty ? ", every doctor (no doctor is set for you)" : "")
    }

    /// A visit's line: time, status, patient, (the doctor, when the day is every
    /// doctor's), reason, and its new results.
    public func line(_ row: DayVisit, width: Int = 120) -> String {
        Self.line(row, doctor: doctors.isEmpty ? doctorName(of: row) : nil, width: width)
    }

    func doctorName(of row: DayVisit) -> String { row.appointment.doctor.flatMap { doctorNames[$0] } ?? "" }

    /// A visit's line; `doctor`: the doctor's column, when the day holds several. The new
    /// results come before the reason: when the line is too long, the reason is what is cut.
    /// In a line `width` cells wide the patient's name gives way first (to 12 cells), so
    /// the new results stay whole.
    public static func line(_ row: DayVisit, doctor: String? = nil, width: Int = 120) -> String {
        let clock = row.appointment.scheduledTime?.clock ?? ""
        let status = AppointmentStatus.named(row.appointment.status).label
        var results = ""
        if row.newResults > 0 {
            results = "● \(row.newResults) new result\(row.newResults == 1 ? "" : "s")"
            if row.newAbnormal > 0 { results += ", \(row.newAbnormal) ABNORMAL" }
        }
        // Each column by display width, cut with an ellipsis, two cells between.
        let others = 8 + 13 + 29 + (doctor == nil ? 0 : 16) + 3 * 2
        var columns = [(clock, 8), (status, 13), (row.patientName, min(26, max(12, width - others)))]
        if let doctor { columns.append((doctor, 14)) }
        columns.append((results, 29))
        return columns.map { TextColumn.set($0, width: $1) }.joined(separator: "  ") + "  " + row.appointment.reason
    }
}
