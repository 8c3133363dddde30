import CodeSets
import DrChronoAPI
import Foundation
import Mirror
import Practice

/// Performs one effect and posts what came of it to the inbox. It sees only the effect
/// (which carries its parameters), the mirror and the services — never the model — so
/// it can run off the drawing thread. File reads, the ICD-10 list, vault decryption and
/// every mirror read and write happen here.
struct EffectRunner: Sendable {
    let reader: MirrorReader
    let watch: MirrorWatchBox
    let inbox: ConsoleInbox

    init(reader: MirrorReader, watch: MirrorWatch, inbox: ConsoleInbox) {
        (self.reader, self.watch, self.inbox) = (reader, MirrorWatchBox(watch), inbox)
    }

    var mirror: MirrorDatabase { reader.mirror }

    func post(_ result: EffectResult) { inbox.post(.result(result)) }

    func perform(_ effect: Effect, services: ConsoleServices) {
        switch effect {
        case .read(let read):
            attempt { post(.loaded(try reader.read(read))) }
        case .checkBooking(let draft):
            attempt { post(.bookingFacts(draft, try mirror.read { db in try MirrorQueries.bookingFacts(db, for: draft.booking) })) }
        case .checkPatient(let draft):
            attempt {
                let found = try mirror.read { db in
                    draft.dateOfBirth.isEmpty
                        ? [] : try MirrorQueries.patients(named: draft.firstName, draft.lastName, born: draft.dateOfBirth, in: db)
                }
                post(.patientFacts(draft, duplicates: found))
            }
        case .prepareCodeList: _ = try? DiagnosisCodeList.shipped()
        case .lookUpDiagnoses(let text): post(.diagnosesLookedUp(Self.lookUp(diagnoses: text)))
        case .completePath(let typed, let folder): post(.pathCompletions(typed, Self.completions(of: typed, in: folder)))
        case .attach(let draft, let folder, let context): attach(draft, from: folder, by: context)
        case .findSlots(let request, let now):
            attempt { post(.slotsFound(try mirror.read { db in try SlotFinder.find(request, now: now, in: db) })) }
        case .openPatientChange(let id):
            attempt {
                post(
                    .patientToChange(
                        try mirror.read { db in try MirrorQueries.patientRecord(db, id: try Outbox.currentPatientId(of: id, in: db)) }))
            }
        case .queue(let write, let context): queue(write, by: context)
        case .pushQueue: services.pushQueue()
        case .audit(let events):
            do {
                try mirror.write { db in for event in events { try AuditTrail.record(event, in: db) } }
            } catch {
                post(.auditFailed(MirrorProblem(error, path: mirror.path).banner))
            }
        case .fetchChart(let patient):
            // A patient registered here is not at DrChrono yet: nothing to fetch.
            if patient > 0 { services.fetchChart(patient) }
        case .openDocument(let document): services.openDocument(document)
        case .saveDocument(let from, let to, let folder): post(Self.save(from: from, to: to, in: folder))
        case .useTheme(let name): post(.theme(name, problem: services.useTheme(name)))
        case .syncNow: services.syncNow()
        case .unlock(let passphrase): post(.unlock(services.unlock(passphrase)))
        case .reload, .quit, .redraw:
            // The runtime's own: resolved or done before an effect reaches here.
            break
        }
    }

    /// Whether another connection committed since last asked: then what is on screen is
    /// read again.
    func checkMirror() {
        if watch.changed() { inbox.post(.mirrorChanged) }
    }

    /// Runs a read; a mirror that cannot be read is said in a few words.
    private func attempt(_ body: () throws -> Void) {
        do { try body() } catch { post(.readFailed(MirrorProblem(error, path: mirror.path).banner)) }
    }

    // MARK: Writing

    /// Asks the practice to do a write the model checked: it checks again against the
    /// mirror in the transaction that queues it, so what another person changed
    /// meanwhile (a slot taken, a charge voided) refuses it rather than slipping by.
    /// Then the one reload for the commit: the watch is told it was seen, and the model
    /// hears `mirrorChanged` once.
    func queue(_ write: ConsoleWrite, by context: WriteContext) {
        let desk = Desk(mirror: mirror, actor: context.actor, now: context.now)
        let outcome: Outcome<Void>
        do {
            guard let asked = try Self.ask(desk, write, takenBy: context.takenBy) else { return }
            outcome = asked
        } catch {
            notQueued(error)
            return
        }
        switch outcome {
        case .queued:
            post(.queued(write))
            _ = watch.changed()
            inbox.post(.mirrorChanged)
        case .refused(let refusal): post(.notQueued(Self.clause(refusal.reason)))
        case .needsConfirmation(let warnings): post(.notQueued(Self.clause(warnings.first?.message ?? "it needs a second look")))
        }
    }

    /// The desk's job for a console write (nil: nothing to ask).
    static func ask(_ desk: Desk, _ write: ConsoleWrite, takenBy: String?) throws -> Outcome<Void>? {
        switch write {
        case .book(let draft):
            // The model showed its warnings and the person pressed Enter again.
            return try desk.book(draft.booking, confirmed: true).map { _ in () }
        case .setStatus(let id, let status, _): return try desk.setStatus(status, of: id)
        case .move(let id, let slot, _): return try desk.move(id, to: slot.time, examRoom: slot.column.room, doctor: slot.column.doctor)
        case .charge(let form):
            guard let charge = form.charge else { return nil }
            // The form showed its warnings and the biller pressed Enter again.
            return try desk.addCharge(charge, to: form.appointment, confirmed: true).map { _ in () }
        case .registerPatient(let draft): return try desk.register(PatientFields(draft.fields)).map { _ in () }
        case .attach:
            // Read and queued by attach(_:from:by:), which reads the file first.
            return nil
        case .fixCharge(let id, let changes, _): return try desk.fixCharge(id, changes)
        case .billingStatus(let id, let status, _): return try desk.setClaimStatus(status, of: id)
        case .applyProfile(let id, _, let charges, _):
            let made = charges.map {
                Outbox.Charge(code: $0.code, procedureType: $0.type, diagnosisPointers: $0.diagnoses, priceCents: $0.priceCents)
            }
            // The picker said what the profile adds beside the visit's charges, and the
            // biller pressed Enter again.
            return try desk.addCharges(made, to: id, confirmed: true).map { _ in () }
        case .claimNote(let id, let text, _): return try desk.noteClaim(text, on: id)
        case .voidCharge(let id, _): return try desk.voidCharge(id)
        case .leaveMessage(let id, let notes, _): return try desk.setNotes(notes, of: id)
        case .payment(let form):
            if var payment = form.payment {
                payment.takenBy = takenBy
                return try desk.takePayment(payment, checkingIn: form.checkIn && form.appointment != nil).map { _ in () }
            }
            guard form.checkIn, let visit = form.appointment else { return nil }
            return try desk.setStatus(.checkedIn, of: visit)
        case .changePatient(let draft):
            guard case .change(let id, _) = draft.purpose else { return nil }
            return try desk.changePatient(id, PatientFields(draft.fields))
        }
    }

    /// A sentence as a clause of "Nothing was queued: …." (its own full stop dropped).
    static func clause(_ sentence: String) -> String { sentence.hasSuffix(".") ? String(sentence.dropLast()) : sentence }

    /// The mirror could not take a write, in a few words.
    func notQueued(_ error: any Error) {
        let why = MirrorProblem(error, path: mirror.path)
        post(.notQueued(why.kind == .diskFull ? "the disk is full — free some space, then try again" : why.banner))
    }
}

/// The runtime's watch on the mirror, asked only from the effects' queue (or, inline,
/// the one thread a test drives it from): never from two threads at once.
final class MirrorWatchBox: @unchecked Sendable {
    private let watch: MirrorWatch
    init(_ watch: MirrorWatch) { self.watch = watch }
    func changed() -> Bool { watch.changed() }
}
