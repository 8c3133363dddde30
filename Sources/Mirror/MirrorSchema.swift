import Foundation
import GRDB

/// The mirror's tables: server truth as DrChrono sent it — the columns screens query,
/// plus the whole row as raw JSON — with the indexes that keep every screen's query at
/// O(log n + k).
enum MirrorSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2 practice") { db in
            try db.execute(
                sql: """
                    CREATE TABLE doctors (
                        id INTEGER PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL, suffix TEXT NOT NULL,
                        specialty TEXT NOT NULL, time_zone TEXT, raw TEXT NOT NULL);
                    CREATE TABLE offices (
                        id INTEGER PRIMARY KEY, name TEXT NOT NULL, start_time TEXT, end_time TEXT, archived INTEGER NOT NULL, raw TEXT NOT NULL);
                    CREATE TABLE exam_rooms (
                        office_id INTEGER NOT NULL, room_index INTEGER NOT NULL, name TEXT NOT NULL,
                        PRIMARY KEY (office_id, room_index)) WITHOUT ROWID;
                    CREATE TABLE appointment_profiles (
                        id INTEGER PRIMARY KEY, name TEXT NOT NULL, color TEXT NOT NULL, reason TEXT NOT NULL,
                        duration INTEGER, doctor_id INTEGER, archived INTEGER NOT NULL, raw TEXT NOT NULL);
                    CREATE TABLE patients (
                        id INTEGER PRIMARY KEY, chart_id TEXT NOT NULL, first_name TEXT NOT NULL, middle_name TEXT NOT NULL,
                        last_name TEXT NOT NULL, nick_name TEXT NOT NULL, date_of_birth TEXT, gender TEXT NOT NULL,
                        cell_phone TEXT NOT NULL, home_phone TEXT NOT NULL, email TEXT NOT NULL, doctor_id INTEGER,
                        status TEXT NOT NULL, updated_at TEXT, raw TEXT NOT NULL);
                    -- Search keys, folded for case and accents: names in both orders, chart id,
                    -- birth date, phone digits. A prefix query is a range scan of this index.
                    CREATE TABLE patient_search (
                        key TEXT NOT NULL, patient_id INTEGER NOT NULL, PRIMARY KEY (key, patient_id)) WITHOUT ROWID;
                    CREATE INDEX patient_search_by_patient ON patient_search(patient_id);
                    CREATE TABLE appointments (
                        id TEXT PRIMARY KEY, doctor_id INTEGER, office_id INTEGER, exam_room INTEGER, patient_id INTEGER,
                        day TEXT, scheduled_time TEXT, duration INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
                        notes TEXT NOT NULL, profile_id INTEGER, is_break INTEGER NOT NULL, deleted INTEGER NOT NULL,
                        note_locked INTEGER, updated_at TEXT, raw TEXT NOT NULL);
                    CREATE INDEX appointments_by_doctor_day ON appointments(day, doctor_id, scheduled_time);
                    CREATE INDEX appointments_by_room_day ON appointments(day, office_id, exam_room, scheduled_time);
                    CREATE INDEX appointments_by_patient ON appointments(patient_id, scheduled_time);
                    CREATE TABLE clinical_notes (
                        id INTEGER PRIMARY KEY, appointment_id TEXT, patient_id INTEGER, locked_by TEXT, updated_at TEXT, raw TEXT NOT NULL);
                    CREATE INDEX clinical_notes_by_patient ON clinical_notes(patient_id);
                    CREATE INDEX clinical_notes_by_appointment ON clinical_notes(appointment_id);
                    CREATE TABLE clinical_note_field_types (
                        id INTEGER PRIMARY KEY, name TEXT NOT NULL, template_id INTEGER, data_type TEXT NOT NULL);
                    CREATE TABLE problems (
                        id INTEGER PRIMARY KEY, patient_id INTEGER, name TEXT NOT NULL, icd_code TEXT NOT NULL, status TEXT NOT NULL, raw TEXT NOT NULL);
                    CREATE INDEX problems_by_patient ON problems(patient_id);
                    CREATE TABLE medications (
                        id INTEGER PRIMARY KEY, patient_id INTEGER, name TEXT NOT NULL, status TEXT NOT NULL, raw TEXT NOT NULL);
                    CREATE INDEX medications_by_patient ON medications(patient_id);
                    CREATE TABLE allergies (
                        id INTEGER PRIMARY KEY, patient_id INTEGER, description TEXT NOT NULL, status TEXT NOT NULL, raw TEXT NOT NULL);
                    CREATE INDEX allergies_by_patient ON allergies(patient_id);
                    CREATE TABLE line_items (
                        id INTEGER PRIMARY KEY, appointment_id TEXT, patient_id INTEGER, code TEXT NOT NULL,
                        procedure_type TEXT NOT NULL, price_cents INTEGER NOT NULL, quantity REAL NOT NULL, updated_at TEXT, raw TEXT NOT NULL);
                    CREATE INDEX line_items_by_appointment ON line_items(appointment_id);
                    CREATE TABLE documents (
                        id INTEGER PRIMARY KEY, patient_id INTEGER, description TEXT NOT NULL, date TEXT, raw TEXT NOT NULL);
                    CREATE INDEX documents_by_patient ON documents(patient_id);
                    ALTER TABLE sync_state ADD COLUMN resume_url TEXT;
                    ALTER TABLE sync_state ADD COLUMN loaded INTEGER NOT NULL DEFAULT 0;
                    -- What the mirror is a copy of. When any of it changes, the mirror is rebuilt.
                    CREATE TABLE mirror_epoch (
                        id INTEGER PRIMARY KEY CHECK (id = 1), server TEXT NOT NULL, practice_group TEXT NOT NULL,
                        user_id TEXT NOT NULL, api_version TEXT NOT NULL, schema_version INTEGER NOT NULL);
                    """)
        }
    }

    static func registerOutbox(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3 outbox") { db in
            try db.execute(
                sql: """
                    -- Local intent, kept apart from server truth: each write a person made,
                    -- waiting to reach DrChrono, in the order made.
                    CREATE TABLE outbox (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        entity TEXT NOT NULL,          -- 'appointment:<id>' (a local id until DrChrono assigns one)
                        kind TEXT NOT NULL,            -- appointment.create | appointment.update | appointment.delete
                        payload TEXT NOT NULL,         -- the JSON to send
                        marker TEXT NOT NULL,          -- written into a free-text field, to find an ambiguous create
                        state TEXT NOT NULL,           -- pending | sending | ambiguous | conflict | failed
                        message TEXT,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        created_at TEXT NOT NULL);
                    CREATE INDEX outbox_by_entity ON outbox(entity, seq);
                    -- A row with a write still in the outbox: shown as pending, never overwritten by a pull.
                    ALTER TABLE appointments ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
                    """)
        }
    }

    static func registerLineItemIntent(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4 line item intent") { db in
            try db.execute(sql: "ALTER TABLE line_items ADD COLUMN pending INTEGER NOT NULL DEFAULT 0")
        }
    }

    static func registerDocumentIntent(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5 document uploads") { db in
            try db.execute(
                sql: """
                    ALTER TABLE documents ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
                    -- A queued upload's file, kept until DrChrono has it.
                    CREATE TABLE outbox_files (seq INTEGER PRIMARY KEY, file_name TEXT NOT NULL, content_type TEXT NOT NULL, bytes BLOB NOT NULL);
                    """)
        }
    }

    /// A booking's local id and the id DrChrono gave it: a person may act on the
    /// appointment (check in, bill) a moment after the booking was confirmed, before
    /// the screen has read the new id, and that write must reach the right appointment.
    static func registerRenames(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6 confirmed booking ids") { db in
            try db.execute(sql: "CREATE TABLE outbox_renames (local_id TEXT PRIMARY KEY, server_id TEXT NOT NULL) WITHOUT ROWID")
        }
    }

    /// The audit trail: append-only (triggers refuse changes), kept when the practice
    /// tables are rebuilt, numbered by AUTOINCREMENT so a number is never given twice.
    static func registerAudit(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7 audit trail") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, os_user TEXT NOT NULL, user TEXT NOT NULL,
                        event TEXT NOT NULL, patient INTEGER, appointment TEXT, reference TEXT, outcome TEXT,
                        prev TEXT NOT NULL, hash TEXT NOT NULL);
                    CREATE INDEX audit_by_patient ON audit(patient, seq);
                    CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    """)
        }
    }

    /// A name for this one mirror file, made when it is created: an audit checkpoint
    /// kept outside the file names it, so a mirror emptied or replaced since is noticed.
    /// A rebuild (`sync --rebuild`) carries it over with the trail.
    static func registerIdentity(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8 mirror identity") { db in
            try db.execute(
                sql: "CREATE TABLE mirror_identity (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL, created_at TEXT NOT NULL)")
            try db.execute(
                sql: "INSERT INTO mirror_identity VALUES (1, ?, ?)",
                arguments: [UUID().uuidString, ISO8601DateFormatter().string(from: Date())])
        }
    }

    /// Where an incremental pass may start: the server's time when the last complete
    /// pass of a resource began. Rows older than that (less a margin for late commits)
    /// were seen by it and are not paid for again.
    static func registerSeenThrough(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9 seen through") { db in
            try db.execute(sql: "ALTER TABLE sync_state ADD COLUMN seen_through TEXT")
        }
    }

    /// The practice's people: the trail names the person behind each entry (and how they
    /// came), and each queued write the person who made it.
    static func registerPeople(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10 people") { db in
            try db.execute(
                sql: """
                    ALTER TABLE audit ADD COLUMN person TEXT;
                    ALTER TABLE audit ADD COLUMN via TEXT;
                    ALTER TABLE outbox ADD COLUMN person TEXT;
                    """)
        }
    }

    /// Patients registered and changed at the console: a patient with a change still
    /// queued keeps it (a pull does not overwrite the row); and the payers the practice's
    /// patients are insured by, for a new card's payer to be picked from.
    static func registerPatientWrites(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v11 patient writes") { db in
            try db.execute(
                sql: """
                    ALTER TABLE patients ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE payers (name TEXT NOT NULL, payer_id TEXT NOT NULL, PRIMARY KEY (name, payer_id)) WITHOUT ROWID;
                    INSERT OR IGNORE INTO payers
                        SELECT json_extract(raw, '$.primary_insurance.insurance_company'),
                               coalesce(json_extract(raw, '$.primary_insurance.insurance_payer_id'), '')
                        FROM patients WHERE coalesce(json_extract(raw, '$.primary_insurance.insurance_company'), '') != '';
                    INSERT OR IGNORE INTO payers
                        SELECT json_extract(raw, '$.secondary_insurance.insurance_company'),
                               coalesce(json_extract(raw, '$.secondary_insurance.insurance_payer_id'), '')
                        FROM patients WHERE coalesce(json_extract(raw, '$.secondary_insurance.insurance_company'), '') != '';
                    """)
        }
    }

    /// What the front desk's day reads besides the schedule: the day's payments, the
    /// eligibility checks of today's and tomorrow's visits, the doctors' working weeks.
    static func registerFrontDesk(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v12 front desk") { db in
            try db.execute(
                sql: """
                    CREATE TABLE patient_payments (
                        id INTEGER PRIMARY KEY, patient_id INTEGER, appointment_id TEXT, doctor_id INTEGER, amount_cents INTEGER NOT NULL,
                        method TEXT NOT NULL, kind TEXT NOT NULL, received_date TEXT, posted_date TEXT, created_by TEXT NOT NULL,
                        person TEXT, updated_at TEXT, pending INTEGER NOT NULL DEFAULT 0, raw TEXT NOT NULL);
                    CREATE INDEX patient_payments_by_appointment ON patient_payments(appointment_id);
                    CREATE INDEX patient_payments_by_day ON patient_payments(received_date);
                    CREATE TABLE eligibility_checks (
                        id INTEGER PRIMARY KEY, appointment_id TEXT, patient_id INTEGER, eligibility TEXT NOT NULL,
                        payer_name TEXT NOT NULL, query_date TEXT, raw TEXT NOT NULL);
                    CREATE INDEX eligibility_by_appointment ON eligibility_checks(appointment_id, query_date);
                    CREATE INDEX eligibility_by_patient ON eligibility_checks(patient_id, query_date);
                    CREATE TABLE work_schedules (id INTEGER PRIMARY KEY, doctor_id INTEGER, office_id INTEGER, raw TEXT NOT NULL);
                    """)
        }
    }

    /// Line items voided at DrChrono: the record of each void read (its line item's id).
    static func registerLineItemDeletions(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v13 line item deletions") { db in
            try db.execute(
                sql: "CREATE TABLE line_item_deletions (id INTEGER PRIMARY KEY, appointment_id TEXT, deleted_at TEXT, raw TEXT NOT NULL)")
        }
    }

    /// The practice's fee schedules: a price per doctor, code and payer.
    static func registerFeeSchedules(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14 fee schedules") { db in
            try db.execute(
                sql: """
                    CREATE TABLE fee_schedules (
                        id INTEGER PRIMARY KEY, doctor_id INTEGER, code TEXT NOT NULL, payer_id TEXT NOT NULL, base_cents INTEGER,
                        insured_cents INTEGER, raw TEXT NOT NULL);
                    CREATE INDEX fee_schedules_by_doctor_code ON fee_schedules(doctor_id, code, payer_id);
                    """)
        }
    }

    /// The practice's billing profiles: named sets of codes.
    static func registerBillingProfiles(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15 billing profiles") { db in
            try db.execute(
                sql:
                    "CREATE TABLE billing_profiles (id INTEGER PRIMARY KEY, name TEXT NOT NULL, archived INTEGER NOT NULL, raw TEXT NOT NULL)"
            )
        }
    }

    /// A patient's balance is summed over their line items each time billing's cursor moves:
    /// an index keeps that to their rows at a practice of a million charges.
    static func registerLineItemsByPatient(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v16 line items by patient") { db in
            try db.execute(sql: "CREATE INDEX line_items_by_patient ON line_items(patient_id)")
        }
    }

    /// Lab orders (synced by `since`), their results (read per order, for the charts opened
    /// and the day's patients) and visits' vitals (read with `verbose=true` for the charts
    /// opened: DrChrono sends them 25 visits a page, too dear for the whole practice).
    static func registerLabsAndVitals(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v17 labs and vitals") { db in
            try db.execute(
                sql: """
                    CREATE TABLE lab_orders (
                        id INTEGER PRIMARY KEY, patient_id INTEGER, doctor_id INTEGER, status TEXT NOT NULL, ordered_at TEXT,
                        results_wanted INTEGER NOT NULL DEFAULT 1, raw TEXT NOT NULL);
                    CREATE INDEX lab_orders_by_patient ON lab_orders(patient_id);
                    CREATE INDEX lab_orders_wanted ON lab_orders(results_wanted, patient_id);
                    CREATE TABLE lab_results (
                        id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, abnormal TEXT NOT NULL, received_at TEXT, raw TEXT NOT NULL);
                    CREATE INDEX lab_results_by_order ON lab_results(order_id);
                    CREATE TABLE visit_vitals (
                        appointment_id TEXT PRIMARY KEY, patient_id INTEGER, taken_at TEXT, raw TEXT NOT NULL);
                    CREATE INDEX visit_vitals_by_patient ON visit_vitals(patient_id, taken_at);
                    """)
        }
    }

    /// Results entered in charts by hand (`/api/patient_lab_results`), synced by `since`.
    static func registerEnteredLabResults(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v18 entered lab results") { db in
            try db.execute(
                sql: """
                    CREATE TABLE patient_lab_results (
                        id INTEGER PRIMARY KEY, patient_id INTEGER, flag TEXT NOT NULL, entered_at TEXT, updated_at TEXT, raw TEXT NOT NULL);
                    CREATE INDEX patient_lab_results_by_patient ON patient_lab_results(patient_id);
                    """)
        }
    }

    /// Notes on visits' claims written here, as DrChrono confirmed them (`/api/claim_billing_notes`).
    static func registerClaimNotes(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v21 claim notes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE claim_notes (
                        id INTEGER PRIMARY KEY, appointment_id TEXT NOT NULL, text TEXT NOT NULL,
                        created_by TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL DEFAULT '', person TEXT NOT NULL DEFAULT '');
                    CREATE INDEX claim_notes_by_visit ON claim_notes(appointment_id);
                    """)
        }
    }

    /// A day in time order across all its doctors, read a page at a time (the MCP server's
    /// schedule) without sorting the whole day first.
    static func registerDayInTimeOrder(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v22 a day in time order") { db in
            try db.execute(sql: "CREATE INDEX appointments_by_day_time ON appointments(day, scheduled_time, doctor_id, id)")
        }
    }

    /// Each patient's copay as DrChrono wrote it, beside the record: the schedule reads the
    /// day's copays at every day change, and cutting them out of each record's JSON cost
    /// more than the day's visits.
    static func registerCopays(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v24 copays") { db in
            try db.execute(sql: "ALTER TABLE patients ADD COLUMN copay TEXT")
            try db.execute(sql: "UPDATE patients SET copay = CAST(json_extract(raw, '$.copay') AS TEXT)")
        }
    }

    /// The practice tables, emptied when the mirror is rebuilt.
    static let practiceTables = [
        "doctors", "offices", "exam_rooms", "appointment_profiles", "patients", "patient_search",
        "appointments", "clinical_notes", "clinical_note_field_types", "problems", "medications",
        "allergies", "line_items", "documents", "payers", "patient_payments", "eligibility_checks", "work_schedules", "work_hours",
        "line_item_deletions",
        "fee_schedules", "lab_orders", "lab_results", "visit_vitals", "patient_lab_results",
        "claim_notes", "sync_state",
    ]

    /// Bumped when what is stored changes meaning, so old mirrors rebuild rather than mislead.
    static let schemaVersion = 2
}
