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

    /// The table's columns: a narrow window (under 99 cells) leaves out the two counts and
    /// narrows the names, keeping every amount.
    static func header(narrow: Bool) -> String {
        TextColumn.set("  Doctor", width: narrow ? 18 : 22) + (narrow ? "" : column("Charges")) + column("Billed") + column("Adjusted")
            + column("Ins. paid") + (narrow ? "" : column("Payments")) + column("Received") + column("Net")
    }

    /// An amount in its column, with a space before it however wide it is.
    static func column(_ text: String, width: Int = 11) -> String { " " + TextColumn.right(text, width: width - 1) }

    static func line(_ name: String, _ total: MirrorQueries.DayTotal, narrow: Bool) -> String {
        TextColumn.set(name, width: narrow ? 18 : 22) + (narrow ? "" : column(String(total.charges)))
            + column(BillingModel.money(total.chargedCents)) + column(BillingModel.money(total.adjustmentCents))
            + column(BillingModel.money(total.insurancePaidCents)) + (narrow ? "" : column(String(total.payments)))
            + column(BillingModel.money(total.paymentCents)) + column(BillingModel.money(total.netCents))
            + (total.queued > 0 ? "  \(total.queued) queued" : "")
    }

    /// The table as lines: each office's doctors, the office's sum, then the day's.
    public var lines: [(text: String, isTotal: Bool)] { lines(width: .max) }

    /// The table as lines for a box `width` cells wide.
    public func lines(width: Int) -> [(text: String, isTotal: Bool)] {
        guard !rows.isEmpty else { return [("No charges or payments on this day in the local copy.", false)] }
        let narrow = width < 99
        var lines: [(String, Bool)] = [(Self.header(narrow: narrow), true)]
        var offices: [String] = []
        for row in rows where !offices.contains(row.office) { offices.append(row.office) }
        for office in offices {
            lines.append((office, true))
            for row in rows where row.office == office { lines.append((Self.line("  " + row.doctor, row, narrow: narrow), false)) }
            if offices.count > 1 {
                lines.append((Self.line("  \(office)", MirrorQueries.sum(rows, office: office), narrow: narrow), true))
            }
        }
        lines.append((Self.line("Day total", MirrorQueries.sum(rows), narrow: narrow), true))
        return lines
    }
}
