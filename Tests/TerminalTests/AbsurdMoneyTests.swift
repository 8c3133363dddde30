import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Mirror
import Terminal
import Testing

@Suite("No value from DrChrono crashes a view")
struct AbsurdMoneyTests {
    @Test(
        "absurd line items from DrChrono — 4e7 × $21,474,836.47 twice, quantity 1e300, NaN, a price of 10^13 — draw, total and correct without a crash"
    )
    func absurdRowsDraw() throws {
        let fixture = try PracticeFixture()
        try fixture.mirror.pool.write { db in
            var rows: [JSONObject] = []
            for (n, (quantity, price)) in [(4e7, 21_474_836.47), (4e7, 21_474_836.47), (1e300, 10.0), (1.0, 1e13)].enumerated() {
                rows.append([
                    "id": .int(9_000 + n), "appointment": "1001", "patient": 100, "doctor": 1, "code": "99213", "procedure_type": "C",
                    "quantity": .double(quantity), "price": .double(price), "balance_total": .double(1e300), "paid_total": .string("1e300"),
                ])
            }
            rows.append(["id": 9_010, "appointment": "1001", "patient": 100, "code": "99214", "quantity": .string("nan"), "price": "10"])
            try MirrorWriter.store(rows, as: .lineItems, in: db)
        }
        let session = try fixture.session(role: .billing)
        for _ in 0..<3 { session.press(.up) }  // María López's 9:00 visit, whose lines these are
        #expect(session.model.billing.selectedVisit?.id == "1001")
        #expect(
            ConsoleView.render(session.model, width: 120, height: 40, glyphs: .unicode, asciiOnly: false).lines.joined().contains("99213"))
        for _ in 0..<3 {
            _ = ConsoleView.render(session.model, width: 120, height: 40, glyphs: .unicode, asciiOnly: false)
            _ = session.model.billing.totalCents
            _ = session.model.billing.accountLine
            session.press(.character("e"))  // the correction form on the absurd line
            _ = ConsoleView.render(session.model, width: 120, height: 40, glyphs: .unicode, asciiOnly: false)
            session.press(.escape)
            session.press(.character("T"))  // the day's totals
            _ = ConsoleView.render(session.model, width: 120, height: 40, glyphs: .unicode, asciiOnly: false)
            session.press(.escape)
            session.press(.character("j"))
        }
    }
}
