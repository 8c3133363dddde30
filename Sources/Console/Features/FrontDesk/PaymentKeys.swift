import DrChronoAPI
import Foundation
import Mirror
import Practice

/// Today's payments, per desk: what each person took, and what the day adds up to.
public struct CollectionsList: Sendable, Equatable {
    public var day: LocalDateTime
    public var rows: [MirrorQueries.CollectedPayment] = []
    /// The first line shown.
    public var top = 0

    public init(day: LocalDateTime) { self.day = day.startOfDay }

    /// The list as lines: each desk's payments, the desk's total, then the day's.
    public var lines: [(text: String, isTotal: Bool)] {
        var lines: [(String, Bool)] = []
        let desks = Dictionary(grouping: rows, by: \.desk)
        for desk in desks.keys.sorted() {
            let taken = desks[desk]!
            lines.append((desk, true))
            for payment in taken {
                let time = payment.at?.clock ?? ""
                let method = PaymentMethod(rawValue: payment.method)?.label ?? payment.method
                let kind = PaymentKind(rawValue: payment.kind)?.label ?? payment.kind
                let amount = BillingModel.money(payment.amountCents)
                lines.append(
                    (
                        "  " + TextColumn.set(time, width: 9) + TextColumn.set(payment.patientName, width: 27) + " "
                            + TextColumn.right(amount, width: 11) + "  " + method + " · " + kind
                            + (payment.pending ? "  (on its way to DrChrono)" : ""), false
                    ))
            }
            let total = BillingModel.money(taken.reduce(0) { $0 + $1.amountCents })
            lines.append(("  \(desk): \(taken.count) payment\(taken.count == 1 ? "" : "s"), \(total)", true))
        }
        let all = BillingModel.money(rows.reduce(0) { $0 + $1.amountCents })
        lines.append(("Day total: \(rows.count) payment\(rows.count == 1 ? "" : "s"), \(all)", true))
        return lines
    }
}

/// Taking payments: a copay at check-in, any payment on a visit, and the day's list.
extension ConsoleModel {
    /// `collect-payment` and `collections`; nil for other actions.
    mutating func paymentAction(_ action: Action) -> [Effect]? {
        switch action {
        case .collectPayment:
            let visit = pane == .billing ? billing.selectedVisit : schedule.selectedAppointment
            guard let visit, !visit.isBreak, let patient = visit.patient else {
                say("Put the cursor on a visit to take a payment for it.", error: true)
                return []
            }
            return requireWrite(.billing) { model in
                let name = model.schedule.data.patientNames[patient] ?? model.billing.names[patient] ?? "the patient"
                let copay = model.schedule.data.copays[patient]
                let due = copay.flatMap { (model.schedule.data.paid[visit.id] ?? 0) < $0 ? $0 : nil }
                model.overlay = .payment(
                    PaymentForm(patient: patient, patientName: name, appointment: visit.id, checkIn: false, copayCents: due))
                return []
            }
        case .collections:
            overlay = .collections(CollectionsList(day: now))
            return [.reload(.collections)]
        default:
            return nil
        }
    }

    /// Checking a patient in: with their copay still to take (and a role that takes
    /// payments), the copay form first; otherwise at once.
    mutating func checkIn(_ appointment: Appointment) -> [Effect] {
        let name = schedule.data.patientName(appointment)
        if let patient = appointment.patient, let copay = schedule.data.copays[patient], (schedule.data.paid[appointment.id] ?? 0) < copay,
            writes.contains(.billing)
        {
            overlay = .payment(
                PaymentForm(patient: patient, patientName: name, appointment: appointment.id, checkIn: true, copayCents: copay))
            return []
        }
        return [queue(.setStatus(appointment: appointment.id, status: .checkedIn, who: name))]
    }

    mutating func pressInPaymentForm(_ form: PaymentForm, _ key: Key) -> [Effect] {
        var form = form
        if key == .escape {
            overlay = nil
            say(form.checkIn ? "\(form.patientName) was not checked in." : "No payment was taken.")
            return []
        }
        guard form.handle(key) else {
            overlay = .payment(form)
            return []
        }
        form.problems = form.entryProblems
        overlay = .payment(form)
        guard form.problems.isEmpty else {
            say("Nothing was queued yet: fix what is marked.", error: true)
            return []
        }
        return [queue(.payment(form))]
    }
}
