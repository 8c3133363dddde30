import DrChronoAPI
import Mirror

/// The end of the day for the biller: charges, adjustments, insurance and patient payments
/// per office and doctor, each office's sum and the day's, from the mirror.
public struct DayTotalsList: Sendable, Equatable {
    public var day: LocalDateTime
    public var rows: [MirrorQueries.DayTotal] = []
    /// The first line shown.
    public var top = 0

    public init(day: LocalDateTime) { self.day = day.startOfDay }

    static let header =
        "  Doctor".padding(toLength: 22, withPad: " ", startingAt: 0) + column("Charges") + column("Billed") + column("Adjusted")
        + column("Ins. paid") + column("Payments") + column("Received") + column("Net")

    static func column(_ text: String, width: Int = 11) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func line(_ name: String, _ total: MirrorQueries.DayTotal) -> String {
        name.padding(toLength: 22, withPad: " ", startingAt: 0) + column(String(total.charges))
            + column(BillingModel.money(total.chargedCents)) + column(BillingModel.money(total.adjustmentCents))
            + column(BillingModel.money(total.insurancePaidCents)) + column(String(total.payments))
            + column(BillingModel.money(total.paymentCents)) + column(BillingModel.money(total.netCents))
            + (total.queued > 0 ? "  \(total.queued) queued" : "")
    }

    /// The table as lines: each office's doctors, the office's sum, then the day's.
    public var lines: [(text: String, isTotal: Bool)] {
        guard !rows.isEmpty else { return [("No charges or payments on this day in the local copy.", false)] }
        var lines: [(String, Bool)] = [(Self.header, true)]
        var offices: [String] = []
        for row in rows where !offices.contains(row.office) { offices.append(row.office) }
        for office in offices {
            lines.append((office, true))
            for row in rows where row.office == office { lines.append((Self.line("  " + row.doctor, row), false)) }
            if offices.count > 1 { lines.append((Self.line("  \(office)", MirrorQueries.sum(rows, office: office)), true)) }
        }
        lines.append((Self.line("Day total", MirrorQueries.sum(rows)), true))
        return lines
    }
}
