import DrChronoAPI
import Foundation
import GRDB

/// Writes waiting to reach DrChrono. Each is queued in the same transaction as its
/// optimistic effect on the mirror, so the screen shows it at once, marked pending,
/// and a crash keeps both or neither. An entry leaves the outbox only once DrChrono
/// confirmed it.
public enum Outbox {
    public struct Entry: Sendable, Equatable {
        public var seq: Int64
        /// What the write is about: an appointment (a local id until DrChrono assigns
        /// one), or for an upload the patient's chart.
        public var target: WriteTarget
        /// What it does, typed: its case decides its kind.
        public var write: QueuedWrite
        public var marker: String
        public var state: OutboxState
        public var message: String?
        public var attempts: Int
        /// The person of the practice who made it (nil: a console without `--person`).
        public var person: String? = nil

        /// What the write does at DrChrono.
        public var kind: WriteKind { write.kind }
    }

    /// What a front desk books: the fields DrChrono requires, and the rest.
    public struct Booking: Sendable, Equatable {
        public var doctor: Int, office: Int, examRoom: Int, patient: Int
        public var scheduledTime: LocalDateTime
        public var duration: Int
        public var reason: String = ""
        public var notes: String = ""
        /// The visit type, and its colour on DrChrono's calendar.
        public var profile: Int?
        public var color: String?
        public var allowOverlapping = false

        public init(doctor: Int, office: Int, examRoom: Int, patient: Int, scheduledTime: LocalDateTime, duration: Int) {
            (self.doctor, self.office, self.examRoom, self.patient, self.scheduledTime, self.duration) = (
                doctor, office, examRoom, patient, scheduledTime, duration
            )
        }
    }

    /// A charge a biller keys in: DrChrono requires the code, its type and at least
    /// one diagnosis.
    public struct Charge: Sendable, Equatable {
        public var code: String
        /// `C` CPT, `H` HCPCS, `U` custom.
        public var procedureType: String
        public var modifiers: [String] = []
        public var diagnosisPointers: [String]
        public var units = "UN"
        public var quantity = 1.0
        public var priceCents: Int

        public init(code: String, procedureType: String, diagnosisPointers: [String], priceCents: Int) {
            (self.code, self.procedureType, self.diagnosisPointers, self.priceCents) = (code, procedureType, diagnosisPointers, priceCents)
        }
    }

    /// A scan or photo for a patient's chart.
    public struct Upload: Sendable {
        public var patient: Int, doctor: Int
        public var description: String
        public var date: String  // YYYY-MM-DD
        public var fileName: String
        public var contentType: String
        public var bytes: Data

        public init(patient: Int, doctor: Int, description: String, date: String, fileName: String, contentType: String, bytes: Data) {
            (self.patient, self.doctor, self.description, self.date, self.fileName, self.contentType, self.bytes) = (
                patient, doctor, description, date, fileName, contentType, bytes
            )
        }
    }

    public static let localPrefix = "local-"

    /// Queues a document for a patient's chart, the file kept in the mirror until
    /// DrChrono has it; answers its local id (negative until DrChrono assigns one).
    @discardableResult
    public static func upload(_ upload: Upload, in db: Database, now: LocalDateTime) throws -> Int {
        var upload = upload
        upload.patient = try currentPatientId(of: upload.patient, in: db)
        let localId = -Int.random(in: 1...Int(Int32.max))
        let write = QueuedWrite.attach(
            Attachment(patient: upload.patient, doctor: upload.doctor, description: upload.description, date: upload.date),
            local: LocalRecord(id: localId))
        var row = write.stored
        row["id"] = .int(localId)
        try MirrorWriter.store([row], as: .documents, in: db)
        try db.execute(sql: "UPDATE documents SET pending = 1 WHERE id = ?", arguments: [localId])
        // The entry's own number: the audit entry written with it has a row id of its own.
        let seq = try insert(db, target: .patient(upload.patient), write: write, marker: "", now: now)
        try db.execute(
            sql: "INSERT INTO outbox_files VALUES (?, ?, ?, ?)", arguments: [seq, upload.fileName, upload.contentType, upload.bytes])
        return localId
    }

    /// A queued upload's file.
    public struct QueuedFile: Sendable {
        public var name: String, contentType: String, bytes: Data
    }

    public static func file(of seq: Int64, in db: Database) throws -> QueuedFile? {
        try Row.fetchOne(db, sql: "SELECT file_name, content_type, bytes FROM outbox_files WHERE seq = ?", arguments: [seq]).map { row in
            QueuedFile(name: row["file_name"], contentType: row["content_type"], bytes: row["bytes"])
        }
    }

    /// DrChrono confirmed an upload: its row replaces the local one, the file is let go.
    public static func confirmUpload(_ entry: Entry, server row: JSONObject, in db: Database) throws {
        try db.execute(sql: "DELETE FROM outbox_files WHERE seq = ?", arguments: [entry.seq])
        try replaceLocalRow(of: entry, with: row, as: .documents, in: db)
    }

    /// A confirmed create whose mirror row was made here under a negative local id (a
    /// charge, an upload, a payment): the entry leaves, DrChrono's row takes the local one's place.
    static func replaceLocalRow(of entry: Entry, with row: JSONObject, as resource: MirrorResource, in db: Database) throws {
        try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [entry.seq])
        try audit(
            .writeConfirmed, seq: entry.seq, target: entry.target, kind: entry.kind,
            outcome: "confirmed as \(row.int("id").map(String.init) ?? "?")", maker: entry.person, in: db)
        if let local = entry.write.localId {
            try db.execute(sql: "DELETE FROM \(resource.table) WHERE id = ?", arguments: [local])
        }
        try MirrorWriter.store([row], as: resource, in: db)
    }

    /// Queues a line item on an appointment (which may itself still be queued); answers
    /// its local id, a negative number until DrChrono assigns one.
    @discardableResult
    public static func charge(_ charge: Charge, appointment id: String, in db: Database, now: LocalDateTime) throws -> Int {
        let id = try currentId(of: id, in: db)
        let localId = -Int.random(in: 1...Int(Int32.max))
        let write = QueuedWrite.charge(charge, local: LocalRecord(id: localId))
        var row = write.stored
        row["id"] = .int(localId)
        row["appointment"] = .string(id)
        try MirrorWriter.store([row], as: .lineItems, in: db)
        try db.execute(sql: "UPDATE line_items SET pending = 1 WHERE id = ?", arguments: [localId])
        try insert(db, target: .appointment(id), write: write, marker: "", now: now)
        return localId
    }

    /// DrChrono confirmed a line item: its row replaces the local one.
    public static func confirmCharge(_ entry: Entry, server row: JSONObject, in db: Database) throws {
        try replaceLocalRow(of: entry, with: row, as: .lineItems, in: db)
        if let local = entry.write.localId, let server = row.int("id") { try renameCharge(local, to: server, in: db) }
        try settle(entry.target, in: db)
    }

    /// Puts a failed or conflicting entry back in line, to be sent again.
    public static func retry(_ seq: Int64, in db: Database) throws -> Bool {
        try db.execute(
            sql:
                "UPDATE outbox SET state = ?, message = NULL WHERE seq = ? AND state IN (\(OutboxState.needingAttentionSQL))",
            arguments: [OutboxState.pending, seq])
        return db.changesCount > 0
    }

    /// Gives up a write that failed or conflicts: the entry leaves, and so does its
    /// optimistic effect. A discarded update leaves the row showing what was not sent:
    /// the caller re-fetches that appointment (`SyncEngine.refresh`). Answers the entry.
    public static func discard(_ seq: Int64, in db: Database) throws -> Entry? {
        guard let entry = try entries(db).first(where: { $0.seq == seq }), entry.state.needsAttention else { return nil }
        return try remove(entry, outcome: "discarded", in: db)
    }

    /// Takes back a write that has not left: still pending and never tried. Safe against
    /// the pusher, which marks an entry `sending` (committed) before it goes: in this
    /// write transaction the entry is either still untouched or already on its way, and
    /// then it is not taken back. Answers the entry, or nil when it was not waiting so.
    public static func withdraw(_ seq: Int64, in db: Database) throws -> Entry? {
        guard let entry = try entries(db).first(where: { $0.seq == seq }), entry.state == .pending, entry.attempts == 0 else {
            return nil
        }
        return try remove(entry, outcome: "withdrawn before sending", in: db)
    }

    /// An entry out of the queue, with what it showed of itself (a booking, a charge).
    private static func remove(_ entry: Entry, outcome: String, in db: Database) throws -> Entry {
        let seq = entry.seq
        try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [seq])
        try audit(.writeDiscarded, seq: seq, target: entry.target, kind: entry.kind, outcome: outcome, maker: entry.person, in: db)
        switch entry.kind {
        case .appointmentCreate: try db.execute(sql: "DELETE FROM appointments WHERE id = ?", arguments: [entry.target.id])
        case .lineItemCreate:
            if let local = entry.write.localId { try db.execute(sql: "DELETE FROM line_items WHERE id = ?", arguments: [local]) }
        case .documentCreate:
            if let local = entry.write.localId { try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [local]) }
            try db.execute(sql: "DELETE FROM outbox_files WHERE seq = ?", arguments: [seq])
        case .paymentCreate:
            if let local = entry.write.localId {
                try db.execute(sql: "DELETE FROM patient_payments WHERE id = ?", arguments: [local])
            }
        case .patientCreate:
            if let local = entry.target.patientId {
                try db.execute(sql: "DELETE FROM patients WHERE id = ?", arguments: [local])
                try db.execute(sql: "DELETE FROM patient_search WHERE patient_id = ?", arguments: [local])
            }
        case .appointmentUpdate, .appointmentDelete, .patientUpdate, .lineItemUpdate, .lineItemDelete, .appointmentBillingStatus:
            // The row shows what was not sent until the caller re-fetches it.
            break
        case .claimNoteCreate:
            // Nothing of it was kept here but the entry.
            break
        }
        try settle(entry.target, in: db)
        try settlePatient(entry.target, in: db)
        try settleCharge(entry, in: db)
        return entry
    }

    /// Replaces an entry's write (the pusher notes what it saw before sending).
    public static func update(_ seq: Int64, write: QueuedWrite, in db: Database) throws {
        try db.execute(
            sql: "UPDATE outbox SET payload = ? WHERE seq = ?", arguments: [JSONValue.object(write.stored).serializedString, seq])
    }

    /// Queues a booking; answers its local appointment id.
    @discardableResult
    public static func book(_ booking: Booking, in db: Database, now: LocalDateTime) throws -> String {
        var booking = booking
        // A patient registered here and confirmed since the form opened has DrChrono's id now.
        booking.patient = try currentPatientId(of: booking.patient, in: db)
        let localId = localPrefix + UUID().uuidString.lowercased()
        let marker = newMarker()
        // The marker lets an ambiguous create be found again, never sent twice.
        booking.notes = booking.notes.isEmpty ? marker : booking.notes + " " + marker
        let write = QueuedWrite.book(booking)
        var row = write.stored
        row["id"] = .string(localId)
        row["status"] = .string("")
        row["updated_at"] = .string(now.description)
        try MirrorWriter.store([row], as: .appointments, in: db)
        try db.execute(sql: "UPDATE appointments SET pending = 1 WHERE id = ?", arguments: [localId])
        try insert(db, target: .appointment(localId), write: write, marker: marker, now: now)
        return localId
    }

    /// The id an appointment has now: DrChrono's, if `id` is a local one whose booking
    /// it has since confirmed.
    public static func currentId(of id: String, in db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT server_id FROM outbox_renames WHERE local_id = ?", arguments: [id]) ?? id
    }

    /// Queues a change of status (Arrived, Checked In, Cancelled …), shown at once.
    public static func setStatus(_ status: String, appointment id: String, in db: Database, now: LocalDateTime) throws {
        try queueUpdate(VisitChange(status: status), appointment: id, in: db, now: now)
    }

    /// Queues fields of an appointment (DrChrono's PATCH), shown at once.
    static func queueUpdate(_ change: VisitChange, appointment id: String, in db: Database, now: LocalDateTime) throws {
        guard !change.isEmpty else { return }
        let id = try currentId(of: id, in: db)
        let write = QueuedWrite.changeVisit(change)
        try apply(write, to: id, in: db)
        try db.execute(sql: "UPDATE appointments SET pending = 1 WHERE id = ?", arguments: [id])
        try insert(db, target: .appointment(id), write: write, marker: "", now: now)
    }

    /// Queues a move: another time, room or doctor. Shown at once.
    public static func reschedule(
        appointment id: String, to time: LocalDateTime? = nil, examRoom: Int? = nil, doctor: Int? = nil,
        allowOverlapping: Bool = false, in db: Database, now: LocalDateTime
    ) throws {
        try queueUpdate(
            VisitChange(scheduledTime: time, examRoom: examRoom, doctor: doctor, allowOverlapping: allowOverlapping), appointment: id,
            in: db, now: now)
    }

    /// Queues a visit's notes as they now read (a line added to them: "left a message"),
    /// shown at once.
    public static func setNotes(_ notes: String, appointment id: String, in db: Database, now: LocalDateTime) throws {
        try queueUpdate(VisitChange(notes: notes), appointment: id, in: db, now: now)
    }

    /// Queues a deletion; the appointment leaves the schedule at once.
    public static func delete(appointment id: String, in db: Database, now: LocalDateTime) throws {
        let id = try currentId(of: id, in: db)
        try db.execute(
            sql: "UPDATE appointments SET deleted = 1, raw = json_set(raw, '$.deleted_flag', json('true')), pending = 1 WHERE id = ?",
            arguments: [id])
        try insert(db, target: .appointment(id), write: .removeVisit, marker: "", now: now)
    }

    /// Entries in the order they were made. (An entry of a kind this chronoterm does
    /// not know — written by a newer one — is left in the outbox for that one to send.)
    public static func entries(_ db: Database) throws -> [Entry] {
        try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY seq").compactMap(entry(from:))
    }

    /// How many writes are queued: what the status bar shows.
    public static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0
    }

    /// How many writes DrChrono refused, waiting for a person (`chronoterm queue`).
    public static func needingAttention(_ db: Database) throws -> Int {
        try Int.fetchOne(
            db,
            sql:
                "SELECT COUNT(*) FROM outbox WHERE state IN (\(OutboxState.needingAttentionSQL))"
        ) ?? 0
    }

    public static func mark(_ seq: Int64, state: OutboxState, message: String? = nil, countAttempt: Bool = false, in db: Database) throws {
        try db.execute(
            sql: "UPDATE outbox SET state = ?, message = ?, attempts = attempts + ? WHERE seq = ?",
            arguments: [state, message, countAttempt ? 1 : 0, seq])
        // Outcomes, not every step: sending and retries are not a person's concern.
        switch state {
        case .conflict, .failed, .ambiguous:
            if let row = try Row.fetchOne(db, sql: "SELECT entity, kind FROM outbox WHERE seq = ?", arguments: [seq]),
                let target = row["entity"] as WriteTarget?, let kind = row["kind"] as WriteKind?, let event = AuditEvent.write(state)
            {
                try audit(event, seq: seq, target: target, kind: kind, outcome: state.rawValue, in: db)
            }
        case .pending, .sending:
            break
        }
    }

    /// Puts an entry in the outbox; answers its number.
    @discardableResult
    static func insert(
        _ db: Database, target: WriteTarget, write: QueuedWrite, marker: String, now: LocalDateTime
    ) throws -> Int64 {
        let kind = write.kind
        try db.execute(
            sql: "INSERT INTO outbox (entity, kind, payload, marker, state, created_at, person) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                target, kind, JSONValue.object(write.stored).serializedString, marker, OutboxState.pending, now.description,
                try AuditTrail.sessionPerson(db)?.name,
            ])
        let seq = db.lastInsertedRowID
        try audit(.writeQueued, seq: seq, target: target, kind: kind, outcome: OutboxState.pending.rawValue, in: db)
        return seq
    }

    /// The audit entry for a write: its kind and outbox number, the appointment or
    /// patient it is about — never what it says.
    /// `maker`: who queued it, when the entry has already left the outbox.
    static func audit(
        _ event: AuditEvent, seq: Int64, target: WriteTarget, kind: WriteKind, outcome: String, maker known: String? = nil, in db: Database
    ) throws {
        var patient = target.patientId
        if patient == nil, let appointment = target.appointmentId {
            patient = try Int.fetchOne(db, sql: "SELECT patient_id FROM appointments WHERE id = ?", arguments: [appointment])
        }
        // Sent or confirmed later by the sync (another process, another person's console):
        // still the person who queued it.
        let session = try AuditTrail.sessionPerson(db)
        let queuedBy = try known ?? String.fetchOne(db, sql: "SELECT person FROM outbox WHERE seq = ?", arguments: [seq])
        let maker = queuedBy.map { name in name == session?.name ? session! : AuditTrail.Person(name: name) }
        try AuditTrail.record(
            AuditTrail.Event(
                event, patient: patient, appointment: target.appointmentId, reference: "\(kind.rawValue) #\(seq)", outcome: outcome),
            person: maker, in: db)
    }

    /// `[ct:1a2b3c4d]`: short, unlikely in a person's notes, and searchable.
    static func newMarker() -> String {
        "[ct:" + String(UInt32.random(in: 0...UInt32.max), radix: 16).leftPadded(to: 8) + "]"
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
