import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Testing

@Suite("Money typed at the desk and sent by DrChrono")
struct MoneyEntryTests {
    @Test("a payment of -0.50 is refused, not taken as +$0.50; a negative price is refused; amounts past ten digits are refused")
    func signKept() {
        var payment = PaymentForm(patient: 100, patientName: "Test", appointment: "1001", checkIn: false, copayCents: nil)
        payment.amount.text = "-0.50"
        #expect(payment.payment == nil && payment.entryProblems.first?.message.contains("more than $0.00") == true)
        payment.amount.text = "0.50"
        #expect(payment.payment?.amountCents == 50)

        var charge = ChargeForm(appointment: "1001", patientName: "Test")
        charge.code.text = "99213"
        charge.diagnoses.text = "I10"
        charge.price.text = "-0.99"
        #expect(charge.charge.map { ChargeCheck.problems($0) }?.contains { $0.message == "A price cannot be negative." } == true)
        charge.price.text = "9999999999"
        #expect(charge.charge == nil && charge.entryProblems.contains { $0.field == "price" })
        charge.price.text = "99999999.99"
        #expect(charge.charge?.priceCents == 9_999_999_999)
        #expect(Money(cents: 9_999_999_999).wire == "99999999.99", "the wire has every digit, not a 32-bit remainder")
    }

    @Test("a quantity is a plain number from 0.001 to 9999: 4e7, inf, nan, 1e300 and 0 are refused before anything is queued")
    func quantities() {
        var charge = ChargeForm(appointment: "1001", patientName: "Test")
        charge.code.text = "99213"
        charge.diagnoses.text = "I10"
        charge.price.text = "21474836.47"
        for typed in ["4e7", "inf", "nan", "1e300", "0", "-1", "10000", "1.2345", ""] {
            charge.quantity.text = typed
            #expect(charge.charge == nil, "\(typed) was taken")
        }
        charge.quantity.text = "2.5"
        #expect(charge.charge?.quantity == 2.5)
    }
}
