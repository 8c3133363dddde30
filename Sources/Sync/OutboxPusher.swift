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
        /// A write another sender may still have at DrChrono is looked up, not before
        /// this: push again then.
        public var waitUntil: Date?
    }

    let mirror: MirrorDatabase
    let client: DrChronoClient
    /// The client a person's writes go with: their own DrChrono login when they linked
    /// one (`chronoterm people link`), so DrChrono's records name them; nil: the
    /// profile's.
    let writer: @Sendable (String) async -> DrChronoClient?
    /// Told after each write that left the queue: progress on a long backlog.
    let onProgress: @Sendable (Report) -> Void
    /// The sync lease this pusher sends under: a write leaves only while it is held
    /// (nil: a process that pushes alone).
    let holder: String?
    /// How long a request may be at DrChrono after it left: the transport's timeout and
    /// a margin.
    let inFlight: TimeInterval

    public init(
        mirror: MirrorDatabase, client: DrChronoClient, holder: String? = nil,
        writer: @escaping @Sendable (String) async -> DrChronoClient? = { _ in nil },
        onProgress: @escaping @Sendable (Report) -> Void = { _ in }
    ) {
        self.mirror = mirror
        self.client = client
        self.holder = holder
        self.writer = writer
        self.onProgress = onProgress
        inFlight = client.longestRequest + 5
    }

    /// The entry being sent and this push's claim on it.
    private var claimed: (seq: Int64, token: String)?
    /// The gate said no: the lease went to another process mid-send.
    private var fencedOut = false

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
                    try await mirror.write(.confirmation) { db in
                        try Outbox.mark(entry.seq, state: .failed, message: "The booking it belonged to was discarded.", in: db)
                    }
                }
                blocked.insert(entry.target)
                continue
            }
            // A write for a patient registered here waits for DrChrono's id: a change to
            // them, an upload to their chart, a visit booked for them.
            let newPatient =
                entry.kind == .patientCreate ? nil : [entry.target.patientId, entry.write.patient].compactMap { $0 }.first { $0 < 0 }
            // A correction or void of a charge still waiting for its create waits with it.
            if let charge = entry.write.lineItem, charge < 0 {
                let orphaned = !entries.contains { $0.kind == .lineItemCreate && $0.write.localId == charge }
                if orphaned {
                    try await mirror.write(.confirmation) { db in
                        try Outbox.mark(entry.seq, state: .failed, message: "The charge it was for was discarded.", in: db)
                    }
                }
                blocked.insert(entry.target)
                continue
            }
            if let newPatient {
                let orphaned = !entries.contains { $0.kind == .patientCreate && $0.target == .patient(newPatient) }
                if orphaned {
                    try await mirror.write(.confirmation) { db in
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
                    if fencedOut || error == .unavailable(DrChronoClient.fencedOut) {
                        // The lease went elsewhere before the request left: the claim goes
                        // back as it was, for the new holder to send without waiting.
                        if let (seq, token) = claimed, let previous = claimedFrom {
                            try await mirror.write(.confirmation) { db in try Outbox.release(seq, token: token, to: previous, in: db) }
                        }
                        report.stopped = DrChronoClient.fencedOut
                        return false
                    }
                    // Offline, throttled or logged out before anything reached DrChrono
                    // (a request that may have is `ambiguous` already): as it was; try later.
                    // (One whose last sender stopped mid-request stays to be looked up.)
                    let before = claimedFrom == .sending ? .ambiguous : (claimedFrom ?? entry.state)
                    try await record { db in try Outbox.mark(entry.seq, state: before, message: error.description, in: db) }
                    report.stopped = error.description
                    return false
                default:
                    throw error
                }
            } catch is LeaseLost {
                report.stopped = DrChronoClient.fencedOut
                return false
            }
        }
        return true
    }

    /// Sends one entry; answers whether it left the outbox.
    private func send(_ listed: Entry, report: inout Report) async throws -> Bool {
        // Claimed in the transaction that checks the lease and the entry as stored now
        // (the round's list may be stale: another holder may have sent it since).
        let (holder, inFlight) = (self.holder, self.inFlight)
        let claim = try await mirror.write(.confirmation) { db in
            try Outbox.claim(listed.seq, holder: holder, now: Date(), inFlight: inFlight, in: db)
        }
        var entry: Entry
        switch claim {
        case .gone: return true
        case .leaseLost: throw LeaseLost()
        case .inFlight(let until):
            // Its sender stopped mid-request: DrChrono may still be making it.
            report.waitUntil = min(report.waitUntil ?? until, until)
            return false
        case .claimed(let stored, let previous, let token):
            (entry, claimed, claimedFrom, fencedOut) = (stored, (stored.seq, token), previous, false)
        }
        // The person's login (or their grant's): it sends the entry and finds it again.
        let client = await sender(for: entry)
        // Sent before, outcome unknown: find it before sending again.
        if claimedFrom == .ambiguous || claimedFrom == .sending {
            if let found = try await findCreated(entry, through: client) {
                try await confirm(entry, created: found)
                report.reconciled += 1
                return true
            }
            if try await alreadyApplied(entry, through: client) {
                let applied = entry
                try await record { db in try Outbox.confirm(applied, in: db) }
                report.reconciled += 1
                return true
            }
        }
        if let listing = Self.listing(for: entry) {
            // A line item or a document has no free-text field fit for a marker: note
            // what is already there before sending, so a new one can be recognised after.
            entry.write = entry.write.noting(knownIds: Set(try await ids(listing.path, listing.query, through: client)))
            let (seq, noted) = (entry.seq, entry.write)
            try await record { db in try Outbox.update(seq, write: noted, in: db) }
        }
        return try await transmit(entry, through: client, report: &report)
    }

    /// The state the claimed entry had before this push claimed it.
    private var claimedFrom: OutboxState?

    /// Records what came of the claimed entry — only while the claim is still this
    /// push's: a holder that lapsed, and whose entry another took over, changes nothing.
    func record(_ change: @escaping @Sendable (Database) throws -> Void) async throws {
        guard let (seq, token) = claimed else { return }
        try await mirror.write(.confirmation) { db in
            guard try Outbox.isClaimed(seq, by: token, in: db) else { return }
            try change(db)
        }
    }

    /// Asked right before a request for the claimed entry leaves.
    private func gate() async -> Bool {
        guard let (seq, token) = claimed else { return false }
        let (holder, inFlight) = (self.holder, self.inFlight)
        let open =
            (try? await mirror.write(.confirmation) { db in
                try Outbox.stamp(seq, token: token, holder: holder, now: Date(), inFlight: inFlight, in: db)
            }) ?? false
        if !open { fencedOut = true }
        return open
    }

    var sendGate: @Sendable () async -> Bool { { [self] in await self.gate() } }

    struct LeaseLost: Error {}

    private func transmit(_ entry: Entry, through client: DrChronoClient, report: inout Report) async throws -> Bool {
        do {
            switch entry.write {
            case .book:
                let made = try await client.json(
                    .post("/api/appointments", json: .object(entry.write.fields)), priority: .write, gate: sendGate)
                guard let row = made.objectValue else { throw APIError.unexpected("DrChrono answered a create without the object") }
                try await confirm(entry, created: row)
            case .charge:
                var body = entry.write.fields
                body["appointment"] = .int(Int(entry.target.id))
                let made = try await client.json(.post("/api/line_items", json: .object(body)), priority: .write, gate: sendGate)
                guard let row = made.objectValue else { throw APIError.unexpected("DrChrono answered a create without the object") }
                try await confirm(entry, created: row)
            case .changeVisit:
                _ = try await client.send(
                    .patch("/api/appointments/\(entry.target.id)", json: .object(entry.write.fields)), priority: .write, gate: sendGate)
                try await record { db in try Outbox.confirm(entry, in: db) }
            case .attach(let attachment, _):
                let body = try await uploadBody(entry, attachment)
                let made = try await client.json(.upload("/api/documents", body), priority: .write, gate: sendGate)
                guard let row = made.objectValue else { throw APIError.unexpected("DrChrono answered an upload without the document") }
                try await confirm(entry, created: row)
            case .register:
                if try await register(entry, with: client) { report.reconciled += 1; return true }
            case .payment:
                try await pay(entry, with: client)
            case .fixCharge(let id, _), .voidCharge(let id, _):
                try await correct(entry, charge: id, with: client)
            case .claimStatus, .claimNote:
                try await bill(entry, with: client)
            case .changePatient:
                _ = try await client.send(
                    .patch("/api/patients/\(entry.target.id)", json: .object(entry.write.fields)), priority: .write, gate: sendGate)
                try await record { db in try Outbox.confirm(entry, in: db) }
            case .removeVisit:
                do {
                    _ = try await client.send(.delete("/api/appointments/\(entry.target.id)"), priority: .write, gate: sendGate)
                } catch APIError.notFound {
                    // Already gone: a repeat of a delete whose answer was lost, or deleted in the web app.
                }
                try await record { db in try Outbox.confirm(entry, in: db) }
            }
            report.confirmed += 1
            return true
        } catch let error as APIError {
            switch error {
            case .ambiguous:
                try await record { db in try Outbox.mark(entry.seq, state: .ambiguous, message: error.description, in: db) }
                // Find out now, if DrChrono answers: for an update, sending again is safe.
                if let found = try? await findCreated(entry, through: client) {
                    try await confirm(entry, created: found)
                    report.reconciled += 1
                    return true
                }
                return false
            case .conflict(let detail, _):
                try await record { db in try Outbox.mark(entry.seq, state: .conflict, message: detail, in: db) }
                return false
            case .invalid, .forbidden, .notFound, .unexpected:
                try await record { db in try Outbox.mark(entry.seq, state: .failed, message: error.description, in: db) }
                return false
            case .unavailable, .budgetExhausted, .loginRequired, .cannotSave:
                throw error
            }
        }
    }

    typealias Entry = Outbox.Entry

    func confirm(_ entry: Entry, created row: JSONObject) async throws {
        try await record { db in
            switch entry.write {
            case .charge: try Outbox.confirmCharge(entry, server: row, in: db)
            case .attach: try Outbox.confirmUpload(entry, server: row, in: db)
            case .book: try Outbox.confirmCreate(entry, server: row, in: db)
            case .register: try Outbox.confirmRegistration(entry, server: row, in: db)
            case .payment: try Outbox.confirmPayment(entry, server: row, in: db)
            case .claimNote: try Outbox.confirmClaimNote(entry, server: row, in: db)
            case .changeVisit, .removeVisit, .changePatient, .fixCharge, .voidCharge, .claimStatus:
                try Outbox.confirm(entry, in: db)
            }
        }
    }

    /// An upload as DrChrono takes it: its fields and the file kept in the queue.
    private func uploadBody(_ entry: Entry, _ attachment: Attachment) async throws -> MultipartBody {
        let seq = entry.seq
        let stored = try await mirror.pool.read { db in try Outbox.file(of: seq, in: db) }
        guard let file = stored else { throw APIError.unexpected("the file of this upload is missing from the queue") }
        var body = MultipartBody()
        body.add(field: "doctor", value: String(attachment.doctor))
        body.add(field: "patient", value: String(attachment.patient))
        body.add(field: "description", value: attachment.description)
        body.add(field: "date", value: attachment.date)
        body.add(file: "document", fileName: file.name, contentType: file.contentType, contents: file.bytes)
        return body
    }
}
