import Console
import DrChronoAPI

/// Billing: the day's visits on the left, the chosen visit's line items and total on the right.
enum BillingView {
    static func draw(_ model: ConsoleModel, in pane: Rect, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let billing = model.billing
        // A narrow window gives the day's visits less room, the visit's charges more.
        let listWidth = pane.width < 100 ? 28 : min(ConsoleLayout.visitListWidth, pane.width / 2)
        buffer.fill(x: 0, y: pane.y, width: pane.width, height: 1, style: .header)
        buffer.put(
            " Visits \(glyphs.dot) \(billing.day.month)/\(billing.day.day)/\(billing.day.year)", x: 0, y: pane.y, style: .header,
            limit: listWidth)
        if billing.visits.isEmpty {
            buffer.put(fitting: " No visits on this day. n and p change the day.", x: 0, y: pane.y + 1, width: listWidth, style: .muted)
        }
        for row in 0..<max(0, pane.height - 1) {
            let y = pane.y + 1 + row
            buffer.put(glyphs.vertical, x: listWidth, y: y, style: .border)
            let index = billing.top + row
            guard index < billing.visits.count else { continue }
            let visit = billing.visits[index]
            let status = AppointmentStatus.named(visit.status)
            let clock = visit.scheduledTime?.clock ?? ""
            let text =
                " " + String(repeating: " ", count: max(0, 8 - clock.count)) + clock + "  \(status.letter) \(billing.name(of: visit))"
            buffer.put(fitting: text, x: 0, y: y, width: listWidth, style: index == billing.selected ? .cursor : .normal)
        }
        let x = listWidth + 2
        let width = pane.width - x
        guard let visit = billing.selectedVisit else { return }
        buffer.put(
            fitting:
                "\(billing.name(of: visit)) \(glyphs.dot) \(visit.scheduledTime?.clock ?? "") \(glyphs.dot) \(billing.doctorName(visit.doctor)) \(glyphs.dot) \(AppointmentStatus.named(visit.status).label)"
                + (billing.billingStatuses[visit.id].map { " \(glyphs.dot) \($0)" } ?? ""),
            x: x, y: pane.y, width: width, style: .title)
        let columns = LineItemColumn.fitting(width - 7, items: billing.lineItems)
        var cx = x
        for (column, w) in columns { buffer.put(column.title, x: cx, y: pane.y + 1, style: .header, limit: w); cx += w + 1 }
        if billing.lineItems.isEmpty {
            let add = model.keyMap.keys(for: .addLineItem, in: .billing).first.map { " Press \($0) to add one." } ?? ""
            buffer.put(fitting: "No line items yet.\(add)", x: x, y: pane.y + 2, width: width, style: .muted)
        }
        for (row, item) in billing.lineItems.prefix(max(0, pane.height - 5)).enumerated() {
            let pending = item.id < 0
            var vx = x
            for (column, w) in columns {
                buffer.put(
                    fitting: column.value(item), x: vx, y: pane.y + 2 + row, width: w,
                    style: pending ? .pending : item.denied ? .warning : .normal)
                vx += w + 1
            }
            if pending { buffer.put("queued", x: vx, y: pane.y + 2 + row, style: .pending) }
        }
        let totalY = pane.y + 3 + min(billing.lineItems.count, max(0, pane.height - 5))
        buffer.put(
            fitting:
                "Total \(BillingModel.money(billing.totalCents)) for \(billing.lineItems.count) line item\(billing.lineItems.count == 1 ? "" : "s")",
            x: x, y: totalY, width: width, style: .title)
        var lineY = totalY + 1
        if billing.lineItems.contains(where: \.hasAccount) {
            buffer.put(
                fitting: billing.accountLine, x: x, y: lineY, width: width,
                style: billing.lineItems.contains(where: \.denied) ? .warning : .muted)
            lineY += 1
        }
        if let claim = BillingModel.claimLine(visit) {
            let refused = visit.primaryInsurerAnswer?.isRefusal ?? false
            buffer.put(fitting: claim, x: x, y: lineY, width: width, style: refused ? .warning : .muted)
            lineY += 1
        }
        // The notes on the claim, newest kept in view when there are more than fit.
        let room = pane.y + pane.height - lineY - 1
        if !billing.claimNotes.isEmpty, room > 0 {
            buffer.put(fitting: "Claim notes", x: x, y: lineY, width: width, style: .header)
            for (row, note) in billing.claimNotes.suffix(room).enumerated() {
                buffer.put(
                    fitting: BillingModel.claimNoteLine(note, dot: glyphs.dot), x: x, y: lineY + 1 + row, width: width,
                    style: note.waiting ? .pending : .normal)
            }
        }
    }
}
