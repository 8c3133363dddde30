import DrChronoAPI

/// The columns that hold each visit, found by a dictionary rather than by asking every
/// column about every visit: a 120-doctor practice's day is 120 columns and hundreds
/// of visits at each day change.
///
/// A column holds a visit when the visit is on the column's day and matches each of its
/// doctor, office and room that is set (a room column holds the room's visits whoever the
/// doctor); columns that set the same of those share a shape, and each shape is one
/// dictionary.
struct ColumnLookup {
    private struct Shape: Hashable {
        var doctor: Bool, office: Bool, room: Bool
    }

    private struct Key: Hashable {
        var day: LocalDateTime
        var doctor: Int?, office: Int?, room: Int?
    }

    private var byShape: [(Shape, [Key: [Int]])] = []

    init(_ columns: [ScheduleColumn]) {
        var tables: [Shape: [Key: [Int]]] = [:]
        for (index, column) in columns.enumerated() {
            let shape = Shape(doctor: column.doctor != nil, office: column.office != nil, room: column.room != nil)
            tables[shape, default: [:]][Key(day: column.day, doctor: column.doctor, office: column.office, room: column.room), default: []]
                .append(index)
        }
        byShape = tables.map { ($0.key, $0.value) }
    }

    /// The indexes of the columns holding `appointment`, in column order.
    func columns(holding appointment: Appointment) -> [Int] {
        guard let day = appointment.scheduledTime?.startOfDay else { return [] }
        var found: [Int] = []
        for (shape, table) in byShape {
            let key = Key(
                day: day, doctor: shape.doctor ? appointment.doctor : nil, office: shape.office ? appointment.office : nil,
                room: shape.room ? appointment.examRoom : nil)
            // A set field the visit lacks never matches (its key holds nil where the column's holds a value).
            found += table[key] ?? []
        }
        return byShape.count > 1 ? found.sorted() : found
    }
}
