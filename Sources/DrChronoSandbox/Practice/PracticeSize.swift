/// How big a synthetic practice to generate.
public enum PracticeSize: String, Sendable, CaseIterable {
    /// For tests: three doctors, about 200 patients, four weeks of appointments.
    case small
    /// For the demo: 3 offices, 8 doctors, 5,000 patients, six months back to three ahead.
    case practice
    /// For benchmarks: 100,000 patients and about 1,000,000 appointments.
    case large

    struct Shape {
        var offices: Int, roomsPerOffice: Int, doctors: Int, patients: Int
        var daysBack: Int, daysAhead: Int
        /// Visits within this many days before today get notes and line items; older
        /// visits in `large` stay bare so generation takes seconds, not minutes.
        var chartedDays: Int
        var fillRate: Double
    }

    var shape: Shape {
        switch self {
        case .small:
            Shape(offices: 2, roomsPerOffice: 3, doctors: 3, patients: 200, daysBack: 14, daysAhead: 14, chartedDays: 14, fillRate: 0.45)
        case .practice:
            Shape(offices: 3, roomsPerOffice: 4, doctors: 8, patients: 5_000, daysBack: 182, daysAhead: 91, chartedDays: 182, fillRate: 0.6)
        case .large:
            Shape(
                offices: 12, roomsPerOffice: 10, doctors: 120, patients: 100_000, daysBack: 730, daysAhead: 91, chartedDays: 30,
                fillRate: 0.9)
        }
    }
}
