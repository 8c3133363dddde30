import DrChronoAPI
import Testing

@Suite("Money: exact cents, sign kept, nothing that traps")
struct MoneyTests {
    @Test("typed amounts keep their sign and their cents; anything past DrChrono's ten digits, an exponent or letters is refused")
    func typed() {
        let read: [String: Int64?] = [
            "125": 12_500, "125.5": 12_550, "$1,250.50": 125_050, "-0.50": -50, "-$5": -500, "$-5.25": -525, "0.99": 99,
            "-0.99": -99, ".5": 50, "99999999.99": 9_999_999_999, "9999999999": nil, "100000000": nil, "1e3": nil, "inf": nil,
            "nan": nil, "12.345": nil, "": nil, "-": nil, ".": nil, "12a": nil, "١٢": nil,
        ]
        for (text, cents) in read {
            #expect(Money(typed: text)?.cents == cents, "\(text.debugDescription)")
        }
    }

    @Test("one formatter for the screen and one for the wire, negative amounts and thousands included")
    func formats() {
        #expect(Money(cents: -50).formatted == "-$0.50" && Money(cents: -50).wire == "-0.50")
        #expect(Money(cents: 123_450).formatted == "$1,234.50" && Money(cents: 123_450).wire == "1234.50")
        #expect(Money(cents: 100_000).formatted == "$1,000.00" && Money(cents: 99_999).formatted == "$999.99")
        #expect(Money(cents: 9_999_999_999).formatted == "$99,999,999.99" && Money(cents: 9_999_999_999).wire == "99999999.99")
        #expect(Money(cents: Int64.min).formatted.hasPrefix("-$92,233,720,368,547,758"), "the smallest amount does not trap")
    }

    @Test("price × quantity is rounded once, half away from zero; absurd products and sums are nil, never a trap")
    func arithmetic() {
        #expect(Money(cents: 333).times(1.5)?.cents == 500)  // 499.5 → 500
        #expect(Money(cents: -333).times(1.5)?.cents == -500)
        #expect(Money(cents: 214_748_364_700).times(5e7) == nil, "past what 64 bits hold")
        #expect(Money(cents: 100).times(.infinity) == nil && Money(cents: 100).times(.nan) == nil && Money(cents: 1).times(1e300) == nil)
        #expect(Money.sum([Money(cents: Int64.max), Money(cents: 1)]) == nil)
        #expect(Money.line(priceCents: 2_147_483_647, quantity: 2) == 4_294_967_294)
        #expect(Money.line(priceCents: 2_147_483_647, quantity: 4e7) == 0, "a line past ten trillion dollars counts as none")
        #expect(Money.line(priceCents: 100, quantity: 1e300) == 0)
        #expect(Int.max.adding(saturating: 1) == Int.max && Int.min.subtracting(saturating: 1) == Int.min)
        #expect(Money(amount: 1e300) == nil && Money(amount: .nan) == nil && Money(amount: 0.125)?.cents == 13)
    }
}
