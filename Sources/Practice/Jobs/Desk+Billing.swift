import CodeSets
import DrChronoAPI
import GRDB
import Mirror

/// The biller's and the front desk's jobs on money: charges, claims, payments.
extension Desk {
    /// Adds a charge to a visit, checked (code, type, diagnoses — billable ones —,
    /// modifiers, price, quantity); a price of nothing needs `confirmed`. Answers the
    /// charge's local id.
    public func addCharge(_ charge: Outbox.Charge, to appointment: String, confirmed: Bool = false) throws -> Outcome<Int> {
        try addCharges([charge], to: appointment, confirmed: confirmed).map { $0.first ?? 0 }
    }

    /// Adds several charges to a visit — a billing profile's — all or none.
    public func addCharges(_ charges: [Outbox.Charge], to appointment: String, confirmed: Bool = false) throws -> Outcome<[Int]> {
        let codes = try? DiagnosisCodeList.shipped()
        return try job(.billing) { db in
            guard let visit = try visit(appointment, in: db) else { return .refused(Self.noSuchVisit) }
            if let refusal = try outsideSide(doctor: visit.doctor, in: db) { return .refused(refusal) }
            let existing = try MirrorQueries.lineItems(db, appointment: try Outbox.currentId(of: appointment, in: db)).map(\.code)
            let clashes = ChargeCheck.visitLevelClashes(
                existing: existing, adding: charges.map(\.code), by: charges.count == 1 ? "this charge" : "the profile")
            if !clashes.isEmpty, !confirmed { return .needsConfirmation(clashes.map { .warning("code", $0 + ".") }) }
            for charge in charges {
                let problems = ChargeCheck.problems(charge, billable: { code in codes.map { $0.code(code) != nil } })
                if let verdict: Outcome<[Int]> = Self.verdict(problems, confirmed: confirmed) {
                    return verdict
                }
            }
            return .queued(try charges.map { try Outbox.charge($0, appointment: appointment, in: db, now: now) })
        }
    }

    /// Corrects a charge: only the fields that change.
    public func fixCharge(_ id: Int, _ change: ChargeChange) throws -> Outcome<Void> {
        try job(.billing) { db in
            guard !change.isEmpty else { return .refused(Refusal("Nothing was changed.")) }
            if let price = change.price, price.cents < 0 || price > Money.largest {
                return .refused(Refusal("A price is from $0.00 to \(Money.largest.formatted)."))
            }
            if let refusal = try outsideSide(charge: id, in: db) { return .refused(refusal) }
            guard try Outbox.fixCharge(id, changes: change, in: db, now: now) else { return .refused(Self.noSuchCharge) }
            return .queued(())
        }
    }

    /// Voids a charge: one still waiting in the queue is simply taken out of it.
    public func voidCharge(_ id: Int) throws -> Outcome<Void> {
        try job(.billing) { db in
            if let refusal = try outsideSide(charge: id, in: db) { return .refused(refusal) }
            guard try Outbox.voidCharge(id, in: db, now: now) else { return .refused(Self.noSuchCharge) }
            return .queued(())
        }
    }

    /// Sets the visit's claim status ("Bill Insurance" sends the claim).
    public func setClaimStatus(_ status: BillingStatus, of appointment: String) throws -> Outcome<Void> {
        try job(.billing) { db in
            guard let visit = try visit(appointment, in: db) else { return .refused(Self.noSuchVisit) }
            if let refusal = try outsideSide(doctor: visit.doctor, in: db) { return .refused(refusal) }
            try Outbox.setBillingStatus(status.rawValue, appointment: appointment, in: db, now: now)
            return .queued(())
        }
    }

    /// Writes a note on the visit's claim.
    public func noteClaim(_ text: String, on appointment: String) throws -> Outcome<Void> {
        try job(.billing) { db in
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return .refused(Refusal("A claim note needs its words.")) }
            guard let visit = try visit(appointment, in: db) else { return .refused(Self.noSuchVisit) }
            if let refusal = try outsideSide(doctor: visit.doctor, in: db) { return .refused(refusal) }
            try Outbox.noteClaim(text, appointment: appointment, in: db, now: now)
            return .queued(())
        }
    }

    /// Takes a payment — at check-in, the visit checked in with it, in one transaction.
    /// The amount is more than nothing and at most ``Money/largest``. Answers the
    /// payment's local id.
    public func takePayment(_ payment: Outbox.Payment, checkingIn: Bool = false) throws -> Outcome<Int> {
        try job(.billing) { db in
            guard payment.amountCents > 0, Int64(payment.amountCents) <= Money.largest.cents else {
                return .refused(Refusal("A payment is from $0.01 to \(Money.largest.formatted)."))
            }
            guard try MirrorQueries.patient(db, id: try Outbox.currentPatientId(of: payment.patient, in: db)) != nil else {
                return .refused(Self.noSuchPatient)
            }
            if let refusal = try outsideSide(patient: payment.patient, in: db) { return .refused(refusal) }
            if let appointment = payment.appointment {
                guard let visit = try visit(appointment, in: db) else { return .refused(Self.noSuchVisit) }
                if let refusal = try outsideSide(doctor: visit.doctor, in: db) { return .refused(refusal) }
            }
            if checkingIn, let appointment = payment.appointment {
                guard actor.may(.schedule) else { return .refused(Refusal(Self.notAllowed(.schedule, role: actor.role))) }
                try Outbox.setStatus(VisitStatus.checkedIn.rawValue, appointment: appointment, in: db, now: now)
            }
            var payment = payment
            if payment.takenBy == nil { payment.takenBy = actor.name }
            return .queued(try Outbox.collect(payment, in: db, now: now))
        }
    }

    static let noSuchCharge = Refusal("That charge is no longer on the visit — it was voided or changed; look again.")
}

extension Outcome {
    /// The same outcome with what was made transformed.
    public func map<Other>(_ transform: (Made) -> Other) -> Outcome<Other> {
        switch self {
        case .queued(let made): .queued(transform(made))
        case .needsConfirmation(let warnings): .needsConfirmation(warnings)
        case .refused(let refusal): .refused(refusal)
        }
    }
}
