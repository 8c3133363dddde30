import Console
import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Practice
import Synchronization

/// A small invented practice in a fresh mirror, the same every run: two doctors, one
/// office with two exam rooms, five patients, Wednesday 4 March 2026's schedule (with a
/// lunch break and a cancellation), a signed and a draft note, a problem, a medication,
/// an allergy and a line item. "Now" is 9:00 am that day.
public struct PracticeFixture {
    public let mirror: MirrorDatabase
    public let folder: URL
    public static let now = LocalDateTime(year: 2026, month: 3, day: 4, hour: 9, minute: 0)
    public static let zone = TimeZone(identifier: "America/Chicago")!

    public init(extraPatients: [JSONObject] = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        FixtureFolders.removeAtExit(folder)
        for name in ["documents", "inbox"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        mirror = try MirrorDatabase.open(at: folder.appendingPathComponent("mirror.sqlite").path)
        let rows = try Self.rows()
        try mirror.pool.write { db in
            for (resource, list) in rows { try MirrorWriter.store(list, as: resource, in: db) }
            try MirrorWriter.store(extraPatients, as: .patients, in: db)
        }
    }

    /// The practice's documents folder and inbox, as an office manager would set them.
    public var folders: PersonFolders {
        PersonFolders(
            documents: PersonFolder(path: folder.appendingPathComponent("documents").path),
            inbox: PersonFolder(path: folder.appendingPathComponent("inbox").path))
    }

    /// A session on the fixture, as a person at `role` would start it.
    public func session(
        role: Role = .frontDesk, keyMap: KeyMap = .defaults, lockAfter: TimeInterval? = nil, width: Int = 120, height: Int = 40,
        folders: PersonFolders? = nil
    ) throws -> ConsoleSession {
        var model = ConsoleModel(role: role, now: Self.now, clock: Date(timeIntervalSince1970: 1_772_636_400), keyMap: keyMap)
        model.lockAfter = lockAfter
        model.status.profile = "desk"
        model.status.user = "frontdesk"
        model.themeNames = ["dark", "high-contrast", "light", "monochrome"]
        model.folders = folders ?? self.folders
        let session = try ConsoleSession(model: model, mirror: mirror, timeZone: Self.zone)
        session.resize(width: width, height: height)
        session.start()
        return session
    }

    public func outbox() throws -> [Outbox.Entry] { try mirror.pool.read { try Outbox.entries($0) } }

    /// Gives these patients a copay in DrChrono (`"30.00"`), stored as a sync would store it.
    public func setCopay(_ amount: String, patients: [Int]) throws {
        try mirror.pool.write { db in
            for id in patients {
                guard var record = try MirrorQueries.patient(db, id: id)?.raw else { continue }
                record["copay"] = .string(amount)
                try MirrorWriter.store([record], as: .patients, in: db)
            }
        }
    }

    /// Tomorrow (Thursday 5 March) for the front desk's worklist: James Smith at 9:00
    /// with Dr. Patel, still to confirm, whose coverage DrChrono found inactive; and a
    /// second visit at 10:00 with Dr. Okonkwo for `second` (with `status`), not checked.
    public func addTomorrow(second: Int = 103, status: String = "Confirmed", notes: String = "") throws {
        try mirror.pool.write { db in
            try MirrorWriter.store(
                [
                    [
                        "id": "2001", "doctor": 1, "office": 10, "exam_room": 1, "patient": 102, "scheduled_time": "2026-03-05T09:00:00",
                        "duration": 30, "status": "", "reason": "Follow-up", "notes": .string(notes),
                    ],
                    [
                        "id": "2002", "doctor": 2, "office": 10, "exam_room": 2, "patient": .int(second),
                        "scheduled_time": "2026-03-05T10:00:00", "duration": 30, "status": .string(status), "reason": "Office visit",
                    ],
                ], as: .appointments, in: db)
            try MirrorWriter.store(
                [
                    [
                        "id": 1, "appointment": "2001", "patient": "102", "eligibility": "6", "payer_name": "Summit PPO",
                        "query_date": "2026-03-04T02:10:00",
                    ]
                ],
                as: .eligibilityChecks, in: db)
        }
    }

    static func rows() throws -> [(MirrorResource, [JSONObject])] {
        func parse(_ text: String) throws -> [JSONObject] {
            try JSONValue.parse(Data(text.utf8)).arrayValue?.compactMap(\.objectValue) ?? []
        }
        return [
            (
                .doctors,
                try parse(
                    """
                    [{"id": 1, "first_name": "Anika", "last_name": "Patel", "suffix": "", "specialty": "Family Medicine", "timezone": "America/Chicago"},
                     {"id": 2, "first_name": "Samuel", "last_name": "Okonkwo", "suffix": "", "specialty": "Internal Medicine", "timezone": "America/Chicago"}]
                    """)
            ),
            (
                .offices,
                try parse(
                    """
                    [{"id": 10, "name": "Main Street Clinic", "start_time": "08:00:00", "end_time": "17:00:00", "archived": false,
                      "exam_rooms": [{"index": 1, "name": "Exam 1"}, {"index": 2, "name": "Exam 2"}]}]
                    """)
            ),
            (
                .appointmentProfiles,
                try parse(
                    """
                    [{"id": 7, "name": "New patient", "color": "#3366FF", "reason": "New patient visit", "duration": 45, "doctor": null, "archived": false},
                     {"id": 8, "name": "Follow-up", "color": "#33AA66", "reason": "Follow-up", "duration": 15, "doctor": null, "archived": false},
                     {"id": 9, "name": "Procedure", "color": "#AA3333", "reason": "Procedure", "duration": 60, "doctor": 1, "archived": false}]
                    """)
            ),
            (
                .patients,
                try parse(
                    """
                    [{"id": 100, "first_name": "María", "last_name": "López", "date_of_birth": "1985-05-17", "chart_id": "LOMA0001", "cell_phone": "555-010-1234", "doctor": 1, "gender": "Female"},
                     {"id": 101, "first_name": "Zoë", "last_name": "O'Brien", "date_of_birth": "1990-12-01", "chart_id": "OBZO0002", "cell_phone": "(555) 010-5678", "doctor": 2},
                     {"id": 102, "first_name": "James", "last_name": "Smith", "date_of_birth": "1950-03-04", "chart_id": "SMJA0003", "home_phone": "5550109999", "doctor": 1},
                     {"id": 103, "first_name": "Wei", "last_name": "李", "date_of_birth": "2001-07-07", "chart_id": "LIWE0004", "doctor": 2},
                     {"id": 104, "first_name": "Amelia", "last_name": "Müller", "date_of_birth": "1978-09-09", "chart_id": "MUAM0005", "doctor": 2}]
                    """)
            ),
            (
                .appointments,
                try parse(
                    """
                    [{"id": "990", "doctor": 1, "office": 10, "exam_room": 1, "patient": 100, "scheduled_time": "2026-02-02T09:00:00", "duration": 30, "status": "Complete", "reason": "Headache"},
                     {"id": "1001", "doctor": 1, "office": 10, "exam_room": 1, "patient": 100, "scheduled_time": "2026-03-04T09:00:00", "duration": 30, "status": "Checked In", "reason": "Follow-up"},
                     {"id": "1002", "doctor": 1, "office": 10, "exam_room": 2, "patient": 101, "scheduled_time": "2026-03-04T09:30:00", "duration": 45, "status": "", "reason": "New patient visit"},
                     {"id": "1003", "doctor": 2, "office": 10, "exam_room": 2, "patient": 102, "scheduled_time": "2026-03-04T10:00:00", "duration": 30, "status": "Confirmed", "reason": "Annual physical"},
                     {"id": "1004", "doctor": 1, "office": 10, "exam_room": 1, "patient": null, "scheduled_time": "2026-03-04T12:00:00", "duration": 60, "status": "", "reason": "Lunch", "appt_is_break": true},
                     {"id": "1005", "doctor": 2, "office": 10, "exam_room": 1, "patient": 103, "scheduled_time": "2026-03-04T11:00:00", "duration": 30, "status": "Arrived", "reason": "Office visit"},
                     {"id": "1006", "doctor": 2, "office": 10, "exam_room": 1, "patient": 104, "scheduled_time": "2026-03-04T14:00:00", "duration": 30, "status": "Cancelled", "reason": "Office visit"},
                     {"id": "1007", "doctor": 1, "office": 10, "exam_room": 1, "patient": 100, "scheduled_time": "2026-03-11T09:00:00", "duration": 30, "status": "Confirmed", "reason": "Follow-up"}]
                    """)
            ),
            (
                .clinicalNoteFieldTypes,
                try parse(
                    """
                    [{"id": 1, "name": "Chief Complaint", "clinical_note_template": 1, "data_type": "String"},
                     {"id": 2, "name": "History of Present Illness", "clinical_note_template": 1, "data_type": "String"},
                     {"id": 3, "name": "Assessment", "clinical_note_template": 1, "data_type": "String"}]
                    """)
            ),
            (
                .clinicalNotes,
                try parse(
                    """
                    [{"id": 5001, "appointment": "1001", "patient": 100, "signee": {"locked_by": "Dr. Patel"},
                      "clinical_note_sections": [
                        {"name": "Subjective", "clinical_note_template": 1, "values": [{"clinical_note_field": 1, "value": "Headache for three days"},
                                                                                       {"clinical_note_field": 2, "value": "Worse in the evening. No fever. Sleeps poorly since the move to a new job with long screen hours."}]},
                        {"name": "Assessment and Plan", "clinical_note_template": 1, "values": [{"clinical_note_field": 3, "value": "Tension-type headache (G44.209). Hypertension controlled."}]}]},
                     {"id": 5002, "appointment": "990", "patient": 100,
                      "clinical_note_sections": [{"name": "Subjective", "values": [{"clinical_note_field": 1, "value": "Headache"}]}]}]
                    """)
            ),
            (
                .problems,
                try parse(
                    """
                    [{"id": 1, "patient": 100, "name": "Essential hypertension", "icd_code": "I10", "status": "active", "date_onset": "2020-01-15"}]
                    """)
            ),
            (
                .medications,
                try parse(
                    """
                    [{"id": 1, "patient": 100, "name": "Lisinopril", "dosage_quantity": "10", "dosage_units": "mg", "frequency": "once daily", "status": "active"}]
                    """)
            ),
            (
                .allergies,
                try parse(
                    """
                    [{"id": 1, "patient": 100, "description": "Penicillin", "reaction": "Hives", "status": "active"}]
                    """)
            ),
            (
                .lineItems,
                try parse(
                    """
                    [{"id": 7001, "appointment": "1001", "patient": 100, "doctor": 1, "code": "99213", "procedure_type": "C", "price": 125.0, "quantity": 1, "diagnosis_pointers": ["I10"], "modifiers": []}]
                    """)
            ),
        ]
    }
}

extension ConsoleSession {
    /// Presses each key of `keys` in turn; text is typed character by character.
    public func type(_ text: String) { for character in text { press(.character(character)) } }
}

/// The fixtures' folders, removed when the test process ends. Not when a fixture is let
/// go of: a session made from it (`PracticeFixture().session()`) outlives the fixture and
/// goes on opening the mirror's files, so they stay until every test is done.
enum FixtureFolders {
    private static let made = Mutex<[URL]>([])
    private static let registered: Void = {
        atexit {
            for folder in FixtureFolders.made.withLock({ $0 }) { try? FileManager.default.removeItem(at: folder) }
        }
    }()

    static func removeAtExit(_ folder: URL) {
        _ = registered
        made.withLock { $0.append(folder) }
    }
}
