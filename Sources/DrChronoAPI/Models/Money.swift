import Foundation

/// An amount of money, exact: whole cents in 64 bits, sign kept.
///
/// The one place chronoterm reads money a person typed, reads it from DrChrono, prices
/// a line (price × quantity, rounded once, half away from zero) and writes it — on the
/// screen ("-$1,234.50") and on the wire ("-1234.50"). Nothing here can trap: an amount
/// past what any practice bills is refused (nil), never wrapped or crashed on.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let cents: Int64

    public init(cents: Int64) { self.cents = cents }
    public init(cents: Int) { self.cents = Int64(cents) }

    public static let zero = Money(cents: Int64(0))
    /// The most a price or a payment may be: DrChrono keeps money as a decimal of ten
    /// digits, two after the point ($99,999,999.99).
    public static let largest = Money(cents: Int64(9_999_999_999))

    public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }

    /// What a person typed: "125", "125.5", "$1,250.50", "-0.50", "-$5". Nil for anything
    /// else — letters, a third decimal, an exponent, an amount past ``largest``.
    public init?(typed text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest.first == "$" { rest = rest.dropFirst() }
        if !negative, rest.first == "-" {
            negative = true
            rest = rest.dropFirst()
        }
        let plain = rest.filter { $0 != "," }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !plain.isEmpty, plain != "." else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard whole.allSatisfy({ $0.isASCII && $0.isNumber }), fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
            fraction.count <= 2, whole.count <= 12
        else { return nil }
        let dollars = Int64(whole.isEmpty ? "0" : String(whole)) ?? 0
        let cents = Int64(fraction.isEmpty ? "0" : String(fraction.padding(toLength: 2, withPad: "0", startingAt: 0))) ?? 0
        let magnitude = dollars * 100 + cents
        guard magnitude <= Money.largest.cents else { return nil }
        self.cents = negative ? -magnitude : magnitude
    }

    /// An amount as DrChrono sends it (a number, in dollars). Nil for one no practice
    /// bills: not finite, or past ten trillion dollars.
    public init?(amount: Double) {
        let cents = (amount * 100).rounded(.toNearestOrAwayFromZero)
        guard cents.isFinite, abs(cents) < 1e15 else { return nil }
        self.cents = Int64(cents)
    }

    /// An amount as DrChrono may send it: a number, or a number in a string.
    public init?(json value: JSONValue?) {
        guard let value else { return nil }
        if let number = value.doubleValue {
            self.init(amount: number)
        } else if let text = value.stringValue, let number = Double(text.trimmingCharacters(in: .whitespaces)) {
            self.init(amount: number)
        } else {
            return nil
        }
    }

    /// This price for `quantity` units, rounded once to a cent; nil when the quantity is
    /// not a number or the product is past what 64 bits hold.
    public func times(_ quantity: Double) -> Money? {
        let product = (Double(cents) * quantity).rounded(.toNearestOrAwayFromZero)
        guard product.isFinite, abs(product) < 9.0e18 else { return nil }
        return Money(cents: Int64(product))
    }

    /// The sum; nil past what 64 bits hold.
    public static func sum(_ amounts: some Sequence<Money>) -> Money? {
        var total: Int64 = 0
        for amount in amounts {
            let (next, overflow) = total.addingReportingOverflow(amount.cents)
            if overflow { return nil }
            total = next
        }
        return Money(cents: total)
    }

    /// For the screen: "$1,234.50", "-$0.50".
    public var formatted: String {
        let magnitude = cents.magnitude
        let dollars = String(magnitude / 100)
        var grouped = ""
        for (offset, digit) in dollars.enumerated() {
            if offset > 0 && (dollars.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + "$" + grouped + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// For DrChrono: "1234.50", "-0.50".
    public var wire: String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + String(magnitude / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// For a form's field: "1234.50".
    public var typed: String { wire }

    public var description: String { formatted }
}

extension Money {
    /// A line's amount: `price × quantity` in whole cents, 0 for one no practice could
    /// bill (a quantity DrChrono sent that is not a number, or an absurd product), so a
    /// sum over lines never traps.
    public static func line(priceCents: Int, quantity: Double) -> Int {
        guard let amount = Money(cents: priceCents).times(quantity), abs(amount.cents) < 1_000_000_000_000_000 else { return 0 }
        return Int(amount.cents)
    }
}

extension Int {
    /// `self + other`, held at the largest or smallest Int rather than trapping: money
    /// summed from DrChrono's rows, however absurd, must not crash a view.
    public func adding(saturating other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? Int.max : Int.min) : sum
    }

    /// `self - other`, held at the largest or smallest Int rather than trapping.
    public func subtracting(saturating other: Int) -> Int {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other < 0 ? Int.max : Int.min) : difference
    }
}
