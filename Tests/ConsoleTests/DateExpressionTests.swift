import Console
import DrChronoAPI
import Mirror
import Testing

@Suite("Going to a date typed at the schedule")
struct DateExpressionTests {
    let today = LocalDateTime(year: 2026, month: 12, day: 28, hour: 9, minute: 15)

    @Test(
        "relative days, weeks, months and years from today",
        arguments: [
            ("T", "2026-12-28"), ("t", "2026-12-28"), ("T+1", "2026-12-29"), ("T-2", "2026-12-26"), ("T+1W", "2027-01-04"),
            ("T-1M", "2026-11-28"), ("T+2M", "2027-02-28"), ("T+1Y", "2027-12-28"), ("T+4d", "2027-01-01"),
        ])
    func relative(text: String, expected: String) throws {
        #expect(try DateExpression(text).resolve(today: today).dateString == expected)
    }

    @Test(
        "month/day means the nearest such day ahead; full dates are taken as they are",
        arguments: [
            ("12/3", "2026-12-03"), ("1/5", "2027-01-05"), ("2/29/28", "2028-02-29"), ("2026-07-04", "2026-07-04"),
        ])
    func absolute(text: String, expected: String) throws {
        #expect(try DateExpression(text).resolve(today: today).dateString == expected)
    }

    @Test("nonsense is refused with a message that shows what works")
    func refused() {
        #expect(throws: DateExpression.Problem.unreadable("tomorrow")) { try DateExpression("tomorrow").resolve(today: today) }
        #expect(throws: DateExpression.Problem.noSuchDay("2/30")) { try DateExpression("2/30").resolve(today: today) }
        #expect(DateExpression.Problem.unreadable("x").description.contains("T+1"))
    }

    @Test(
        "a day far outside a practice's years is a slip of the finger, refused", arguments: ["0000-01-01", "T-1000Y", "T+500Y", "1/1/1850"])
    func outOfRange(text: String) {
        #expect(throws: DateExpression.Problem.outOfRange(text)) { try DateExpression(text).resolve(today: today) }
        #expect(DateExpression.Problem.outOfRange(text).description.contains("1900 to 2199"))
    }
}
