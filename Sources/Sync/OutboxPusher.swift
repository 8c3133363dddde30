import DrChronoAPI
import Foundation
import GRDB
import Mirror

/// Sends the outbox to DrChrono, each write exactly once.
///
/// DrChrono has no idempotency keys, so exactly-once is built here: an entry is marked
/// `sending` (committed) before it goes out. If the answer is lost — the connection
/// dropped, DrChrono failed mid-way, or the process died while `sending` — the entry
/// is `ambiguous`, and a create is looked up by doctor, day and the marker written into
/// its notes before it is ever sent again. Updates (a status) and deletions are safe to
/// repeat, so they are simply sent again.
///
/// Entries go in the order they were made; a write waits for the create it refers to.
/// A conflict (409) or a refusal (400) stops that entry, in words for the person;
/// being offline, throttled or logged out stops the round, to try again later.
public actor OutboxPusher {
    public struct Report: Sendable, Equatable {
        public var confirmed = 0
        public var reconciled = 0
        public var stopped: String?
    }

    let mirror: MirrorDatabase
    let client: DrChronoClient
    /// The client a person's writes go with: their own DrChrono login when they linked
    /// one (`chronoterm people link`), so DrChrono's records name them; nil: the
    /// profile's.
    let writer: @Sendable (String) async -> DrChronoClient?
    /// Told after each write that left the queue: progress on a long backlog.
    let onProgress: @Sendable (Report) -> Void

    public init(
        mirror: MirrorDatabase, client: DrChronoClient, writer: @escaping @Sendable (String) async -> DrChronoClient? = { _ in nil },
        onProgress: @escaping @Sendable (Report) -> Void = { _ in }
    ) {
        self.mirror = mirror
        self.client = client
        self.writer = writer
        self.onProgress = onProgress
    }

    /// The push under way, if one is.
    private var current: Task<Report, Error>?

    /// Pushes what can be pushed now. Rounds repeat while they make progress: a
    /// confirmed create frees the writes that were waiting for its id.
    ///
    /// One push at a time: the actor would otherwise interleave two pushes at their
    /// awaits (a write just queued and the daemon's turn), and both would send the same
    /// entry. A push asked for while one runs waits for it, then runs for what is left.
    /// (Across processes, only the lease holder pushes.)
    public func push() async throws -> Report {
        while let running = current {
            _ = try? await running.value
            // The push that ran may not have cleared itself yet: a waiter that finds it
            // finished clears it, or it would wait on it (at once, for ever) again.
            if current == running { current = nil }
        }
        let task = Task { try await self.pushNow() }
        current = task
        defer { current = nil }
        return try await task.value
    }

    private func pushNow() async throws -> Report {
        var report = Report()
        while true {
            let before = report.confirmed + report.reconciled
            if try await round(&report) == false || report.confirmed + report.reconciled == before { return report }
        }
    }

    /// One pass over the queue; answers false when it had to stop (offline, throttled).
    private func round(_ report: inout Report) async throws -> Bool {
        let entries = try await mirror.pool.read { db in try Outbox.entries(db) }
        var blocked = Set<WriteTarget>()  // targets whose earlier entry could not go
        for entry in entries {
            if blocked.contains(entry.target) { continue }
            if entry.state.needsAttention { blocked.insert(entry.target); continue }
            // A write to an appointment DrChrono has not confirmed yet waits for its create.
            // (A line item on it too: it needs the appointment's real id.)
            if entry.kind != .appointmentCreate, entry.target.appointmentId?.hasPrefix(Outbox.localPrefix) == true {
                // …unless the create itself was given up: then so is the write.
                let orphaned = !entries.contains { $0.kind == .appointmentCreate && $0.target == entry.target }
                if orphaned {
                    try await mirror.pool.write { db in
                        try Outbox.mark(entry.seq, state: .failed, message: "The booking it belonged to was discarded.", in: db)
                    }
                }
                blocked.insert(entry.target)
                continue
            }
            // A write for a patient registered here waits for DrChrono's id: a change to
            // them, an upload to their chart, a visit booked for them.
            let newPatient =
                entry.kind == .patientCreate
                ? nil : [entry.target.patientId, entry.payload.int("patient")].compactMap { $0 }.first { $0 < 0 }
            // A correction or void of a charge still waiting for its create waits with it.
            if let charge = entry.payload.int("line_item"), charge < 0 {
                let orphaned = !entries.contains { $0.kind == .lineItemCreate && $0.payload.int("local_id") == charge }
                if orphaned {
                    try await mirror.pool.write { db in
                        try Outbox.mark(entry.seq, state: .failed, message: "The charge it was for was discarded.", in: db)
                    }
                }
                blocked.insert(entry.target)
                continue
            }
            if let newPatient {
                let orphaned = !entries.contains { $0.kind == .patientCreate && $0.target == .patient(newPatient) }
                if orphaned {
                    try await mirror.pool.write { db in
                        try Outbox.mark(entry.seq, state: .failed, message: "The new patient it was for was discarded.", in: db)
                    }
                }
                blocked.insert(entry.target)
                continue
            }
            do {
                if try await send(entry, report: &report) == false { blocked.insert(entry.target) } else { onProgress(report) }
            } catch let error as APIError {
                switch error {
                case .unavailable, .budgetExhausted, .loginRequired, .cannotSave:
                    // Offline, throttled or logged out: nothing is lost; try the round later.
                    try await mirror.pool.write { db in
                        try Outbox.mark(
                            entry.seq, state: entry.state == .sending ? .ambiguous : entry.state, message: error.description, in: db)
                    }
                    report.stopped = error.description
                    return false
                default:
                    throw error
                }
            }
        }
        return true
    }

    /// Sends one entry; answers whether it left the outbox.
    private func send(_ entry: Entry, report: inout Report) async throws -> Bool {
        // Sent before, outcome unknown: find it before sending again.
        if entry.state == .ambiguous || entry.state == .sending, let found = try await findCreated(entry) {
            try await confirm(entry, created: found)
            report.reconciled += 1
            return true
        }
        var entry = entry
        if let listing = Self.listing(for: entry) {
            // A line item or a document has no free-text field fit for a marker: note
            // what is already there before sending, so a new one can be recognised after.
            var payload = entry.payload
            payload["known_ids"] = .array(try await ids(listing.path, listing.query).map { .int($0) })
            entry.payload = payload
            let seq = entry.seq
            let noted = payload
            try await mirror.pool.write { db in try Outbox.update(seq, payload: noted, in: db) }
        }
        let sending = entry
        try await mirror.pool.write { db in try Outbox.mark(sending.seq, state: .sending, countAttempt: true, in: db) }
        return try await transmit(sending, report: &report)
    }

    private func transmit(_ entry: Entry, report: inout Report) async throws -> Bool {
        // Reads (the checks before a write, the reconciling after) stay the profile's.
        var client = self.client
        if let person = entry.person, let own = await writer(person) { client = own }
        do {
            switch entry.kind {
            case .appointmentCreate:
                let made = try await client.json(.post("/api/appointments", json: .object(entry.payload)), priority: .write)
                guard let row = made.objectValue else { throw APIError.unexpected("DrChrono answered a create without the object") }
                try await confirm(entry, created: row)
            case .lineItemCreate:
                var body = entry.payload
                body["appointment"] = .int(Int(entry.target.id))
                body["known_ids"] = nil
                body["local_id"] = nil
                let made = try await client.json(.post("/api/line_items", json: .object(body)), priority: .write)
                guard let row = made.objectValue else { throw APIError.unexpected("DrChrono answered a create without the object") }
                try await confirm(entry, created: row)
            case .appointmentUpdate:
                _ = try await client.send(.patch("/api/appointments/\(entry.target.id)", json: .object(entry.payload)), priority: .write)
                try await mirror.pool.write { db in try Outbox.confirm(entry, in: db) }
            case .documentCreate:
                let made = try await client.json(.upload("/api/documents", try await uploadBody(entry)), priority: .write)
                guard let row = made.objectValue else { throw APIError.unexpected("DrChrono answered an upload without the document") }
                try await confirm(entry, created: row)
            case .patientCreate:
                if try await register(entry, with: client) { report.reconciled += 1; return true }
            case .paymentCreate:
                try await pay(entry, with: client)
            case .lineItemUpdate, .lineItemDelete:
                try await correct(entry, with: client)
            case .appointmentBillingStatus, .claimNoteCreate:
                try await bill(entry, with: client)
            case .patientUpdate:
                _ = try await client.send(.patch("/api/patients/\(entry.target.id)", json: .object(entry.payload)), priority: .write)
                try await mirror.pool.write { db in try Outbox.confirm(entry, in: db) }
            case .appointmentDelete:
                do {
                    _ = try await client.send(.delete("/api/appointments/\(entry.target.id)"), priority: .write)
                } catch APIError.notFound {
                    // Already gone: a repeat of a delete whose answer was lost, or deleted in the web app.
                }
                try await mirror.pool.write { db in try Outbox.confirm(entry, in: db) }
            }
            report.confirmed += 1
            return true
        } catch let error as APIError {
            switch error {
            case .ambiguous:
                try await mirror.pool.write { db in try Outbox.mark(entry.seq, state: .ambiguous, message: error.description, in: db) }
                // Find out now, if DrChrono answers: for an update, sending again is safe.
                if let found = try? await findCreated(entry) {
                    try await confirm(entry, created: found)
                    report.reconciled += 1
                    return true
                }
                return false
            case .conflict(let detail, _):
                try await mirror.pool.write { db in try Outbox.mark(entry.seq, state: .conflict, message: detail, in: db) }
                return false
            case .invalid, .forbidden, .notFound, .unexpected:
                try await mirror.pool.write { db in try Outbox.mark(entry.seq, state: .failed, message: error.description, in: db) }
                return false
            case .unavailable, .budgetExhausted, .loginRequired, .cannotSave:
                throw error
            }
        }
    }

    typealias Entry = Outbox.Entry

    /// Sends a registration; answers true when DrChrono already had the patient (a 409
    /// for the same name, birth date and sex: this one, if an earlier send got through,
    /// or one registered elsewhere since — the same person either way). Their chart is
    /// taken; no second one is made.
    private func register(_ entry: Entry, with client: DrChronoClient) async throws -> Bool {
        var body = entry.payload
        body["local_id"] = nil
        let made: JSONValue
        do {
            made = try await client.json(.post("/api/patients", json: .object(body)), priority: .write)
        } catch APIError.conflict(let detail, _) {
            guard let found = try await findCreated(entry) else { throw APIError.conflict(detail, overlapping: []) }
            try await confirm(entry, created: found)
            return true
        }
        guard let row = made.objectValue else { throw APIError.unexpected("DrChrono answered a create without the patient") }
        try await confirm(entry, created: row)
        return false
    }

    /// Sends a charge's correction or void; a void DrChrono no longer knows of (a repeat
    /// whose answer was lost, or voided elsewhere) is done all the same.
    private func correct(_ entry: Entry, with client: DrChronoClient) async throws {
        let path = "/api/line_items/\(entry.payload.int("line_item") ?? 0)"
        var body = entry.payload
        body["line_item"] = nil
        let call: DrChronoClient.Call = entry.kind == .lineItemUpdate ? .patch(path, json: .object(body)) : .delete(path)
        var failure: (any Error)?
        do { _ = try await client.send(call, priority: .write) } catch { failure = error }
        if let failure {
            // A void DrChrono no longer knows of is done; anything else stops the entry.
            let gone: Bool = if case APIError.notFound = failure { entry.kind == .lineItemDelete } else { false }
            if !gone { throw failure }
        }
        try await mirror.pool.write { db in try Outbox.confirm(entry, in: db) }
    }

    /// Sends a visit's billing status or a note on its claim.
    private func bill(_ entry: Entry, with client: DrChronoClient) async throws {
        if entry.kind == .appointmentBillingStatus {
            _ = try await client.send(.patch("/api/appointments/\(entry.target.id)", json: .object(entry.payload)), priority: .write)
        } else {
            var body = entry.payload
            body["appointment"] = Int(entry.target.id).map { .int($0) } ?? .string(entry.target.id)
            let made = try await client.json(.post("/api/claim_billing_notes", json: .object(body)), priority: .write)
            guard made.objectValue != nil else { throw APIError.unexpected("DrChrono answered a claim note without the object") }
        }
        try await mirror.pool.write { db in try Outbox.confirm(entry, in: db) }
    }

    /// Sends a payment, for the visit's DrChrono id.
    private func pay(_ entry: Entry, with client: DrChronoClient) async throws {
        var body = entry.payload
        if let visit = entry.target.appointmentId { body["appointment"] = Int(visit).map { .int($0) } ?? .string(visit) }
        body["local_id"] = nil
        let made = try await client.json(.post("/api/patient_payments", json: .object(body)), priority: .write)
        guard let row = made.objectValue else { throw APIError.unexpected("DrChrono answered a payment without the object") }
        try await confirm(entry, created: row)
    }

    private func confirm(_ entry: Entry, created row: JSONObject) async throws {
        try await mirror.pool.write { db in
            switch entry.kind {
            case .lineItemCreate: try Outbox.confirmCharge(entry, server: row, in: db)
            case .documentCreate: try Outbox.confirmUpload(entry, server: row, in: db)
            case .appointmentCreate: try Outbox.confirmCreate(entry, server: row, in: db)
            case .patientCreate: try Outbox.confirmRegistration(entry, server: row, in: db)
            case .paymentCreate: try Outbox.confirmPayment(entry, server: row, in: db)
            case .appointmentUpdate, .appointmentDelete, .patientUpdate, .lineItemUpdate, .lineItemDelete, .appointmentBillingStatus,
                .claimNoteCreate:
                try Outbox.confirm(entry, in: db)
            }
        }
    }

    /// An upload as DrChrono takes it: its fields and the file kept in the queue.
    private func uploadBody(_ entry: Entry) async throws -> MultipartBody {
        let seq = entry.seq
        let stored = try await mirror.pool.read { db in try Outbox.file(of: seq, in: db) }
        guard let file = stored else { throw APIError.unexpected("the file of this upload is missing from the queue") }
        var body = MultipartBody()
        for key in ["doctor", "patient", "description", "date"] { body.add(field: key, value: entry.payload.string(key) ?? "") }
        body.add(file: "document", fileName: file.name, contentType: file.contentType, contents: file.bytes)
        return body
    }

    /// Where the siblings of a charge or an upload are listed: the appointment's line
    /// items, the patient's documents. Nil for what carries a marker.
    static func listing(for entry: Entry) -> (path: String, query: [String: String])? {
        switch entry.kind {
        case .lineItemCreate: ("/api/line_items", ["appointment": entry.target.id])
        case .documentCreate: ("/api/documents", ["patient": entry.target.id])
        case .appointmentCreate, .appointmentUpdate, .appointmentDelete, .patientCreate, .patientUpdate, .paymentCreate, .lineItemUpdate,
            .lineItemDelete, .appointmentBillingStatus, .claimNoteCreate:
            nil
        }
    }

    private func ids(_ path: String, _ query: [String: String]) async throws -> [Int] {
        var ids: [Int] = []
        for try await page in client.pages(path, query: query, priority: .write) { ids += page.compactMap { $0.int("id") } }
        return ids
    }

    /// What an ambiguous create may have made. A booking: same doctor and day, with the
    /// entry's marker in its notes. A charge or an upload: one that was not there before
    /// sending, with the same code and type, or the same description.
    private func findCreated(_ entry: Entry) async throws -> JSONObject? {
        if let listing = Self.listing(for: entry) {
            guard let known = entry.payload["known_ids"]?.arrayValue.map({ Set($0.compactMap(\.intValue)) }) else { return nil }
            let same: (JSONObject) -> Bool =
                entry.kind == .documentCreate
                ? { $0.string("description") == entry.payload.string("description") }
                : {
                    $0.string("code") == entry.payload.string("code")
                        && $0.string("procedure_type") == entry.payload.string("procedure_type")
                }
            for try await page in client.pages(listing.path, query: listing.query, priority: .write) {
                if let found = page.first(where: { !known.contains($0.int("id") ?? -1) && same($0) }) { return found }
            }
            return nil
        }
        if entry.kind == .patientCreate {
            // A patient is known by name and birth date: DrChrono refuses a second chart
            // with the same ones (409), so the one it has is the one that was sent.
            let first = entry.payload.string("first_name") ?? ""
            let last = entry.payload.string("last_name") ?? ""
            let born = entry.payload.string("date_of_birth") ?? ""
            func same(_ a: String, _ b: String) -> Bool { a.trimmingCharacters(in: .whitespaces).lowercased() == b.lowercased() }
            for try await page in client.pages(
                "/api/patients", query: ["first_name": first, "last_name": last, "date_of_birth": born], priority: .write)
            {
                if let found = page.first(where: {
                    same($0.string("first_name") ?? "", first.trimmingCharacters(in: .whitespaces))
                        && same($0.string("last_name") ?? "", last.trimmingCharacters(in: .whitespaces))
                        && ($0.dateTime("date_of_birth")?.dateString ?? "") == born
                }) {
                    return found
                }
            }
            return nil
        }
        if entry.kind == .claimNoteCreate {
            // A claim note: the visit's notes, its marker in the text.
            for try await page in client.pages("/api/claim_billing_notes", query: ["appointment": entry.target.id], priority: .write) {
                if let found = page.first(where: { ($0.string("text") ?? "").contains(entry.marker) }) { return found }
            }
            return nil
        }
        if entry.kind == .paymentCreate {
            // A payment: among the patient's payments (a few pages at most), the one with
            // its marker in the notes. Not `since` the day it was taken: DrChrono stamps
            // it on its own clock, which a lost answer near midnight must not outwit.
            guard let patient = entry.payload.int("patient") else { return nil }
            for try await page in client.pages("/api/patient_payments", query: ["patient": String(patient)], priority: .write) {
                if let found = page.first(where: { ($0.string("notes") ?? "").contains(entry.marker) }) { return found }
            }
            return nil
        }
        guard entry.kind == .appointmentCreate, let time = entry.payload.dateTime("scheduled_time"),
            let doctor = entry.payload.int("doctor")
        else { return nil }
        for try await page in client.pages(
            "/api/appointments", query: ["date": time.dateString, "doctor": String(doctor)], priority: .write)
        {
            if let found = page.first(where: { ($0.string("notes") ?? "").contains(entry.marker) }) { return found }
        }
        return nil
    }
}
