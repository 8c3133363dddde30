import DrChronoAPI
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Sync
import Synchronization
import Testing

/// A practice whose doctors' offices do not share patients, reached through several
/// DrChrono logins of one profile: its own (the third doctor's office), two offices'
/// grants (`north`, `south`) and, when asked, the group administrator's (`everyone`).
struct GrantedPractice {
    let logged: LoggedInClient
    let mirror: MirrorDatabase
    let sync: GrantedSync
    let doctors: [Int]
    let dead: Deaths
    /// The first doctor's office's login.
    let north: DrChronoClient

    final class Deaths: Sendable {
        let names = Mutex<[String]>([])
        var all: [String] { names.withLock { $0 } }
    }

    static func make(_ sandbox: RunningSandbox, practiceWide: Bool) async throws -> GrantedPractice {
        let doctors = try await sandbox.all("/api/doctors", token: try await sandbox.token()).rows.compactMap { $0.int("id") }.sorted()
        try #require(doctors.count == 3)
        #expect(try await sandbox.admin("PUT", "practice_group", ["share_patients": false]).status == 200)
        for (index, doctor) in doctors.enumerated() {
            #expect(try await sandbox.admin("PUT", "users/office-\(index + 1)", ["doctor": .int(doctor)]).status == 200)
        }
        #expect(try await sandbox.admin("PUT", "users/frontdesk", ["practice_admin": true]).status == 200)
        let time = SandboxTime(sandbox)
        let logged = try await LoggedInClient.make(sandbox, time: time, user: "office-3")
        let north = try await logged.grant("north", user: "office-1", sandbox: sandbox, time: time)
        var logins = [
            GrantedSync.Login(name: "", client: logged.client),
            GrantedSync.Login(name: "north", client: north, sight: .doctors([doctors[0]])),
            GrantedSync.Login(
                name: "south", client: try await logged.grant("south", user: "office-2", sandbox: sandbox, time: time),
                sight: .doctors([doctors[1]])),
        ]
        if practiceWide {
            logins.append(
                GrantedSync.Login(
                    name: "everyone", client: try await logged.grant("everyone", user: "frontdesk", sandbox: sandbox, time: time),
                    sight: .practice))
        }
        let mirror = try MirrorDatabase.open(at: logged.profile.file("mirror.sqlite").path)
        let dead = Deaths()
        let sync = GrantedSync(mirror: mirror, logins: logins, timeZone: RunningSandbox.practiceZone, time: time) { name, _ in
            dead.names.withLock { $0.append(name) }
        }
        return GrantedPractice(logged: logged, mirror: mirror, sync: sync, doctors: doctors, dead: dead, north: north)
    }

    func ids(_ resource: MirrorResource) async throws -> Set<String> {
        try await mirror.pool.read { db in try MirrorWriter.ids(of: resource, in: db) }
    }

    func phone(_ patient: Int) async throws -> String? {
        try await mirror.pool.read { db in try MirrorQueries.patient(db, id: patient)?.cellPhone }
    }

    /// Queues, as nora (a person whose writes go with north's login), a booking for
    /// `doctor`'s patient on the empty Saturday at `hour`; answers the pusher that sends it.
    func queueNorasBooking(for doctor: Int, hour: Int, _ sandbox: RunningSandbox) async throws -> OutboxPusher {
        let office = try await mirror.pool.read { db in try MirrorQueries.offices(db).first?.id }
        var booking = Outbox.Booking(
            doctor: doctor, office: try #require(office), examRoom: 1, patient: try await patient(of: doctor, sandbox),
            scheduledTime: LocalDateTime(year: 2026, month: 3, day: 7, hour: hour), duration: 30)
        booking.reason = "Follow-up visit"
        let asked = booking
        let nora = try MirrorDatabase.open(at: mirror.path, person: AuditTrail.Person(name: "nora", via: nil))
        try await nora.pool.write { db in _ = try Outbox.book(asked, in: db, now: LocalDateTime(year: 2026, month: 3, day: 4, hour: 8)) }
        let north = self.north
        return OutboxPusher(mirror: mirror, client: logged.client, writer: { name in name == "nora" ? north : nil })
    }

    /// The request budget the profile's logins spent together.
    func spent() async -> Int { await logged.client.budgetSpent().spent }
}

/// A patient of `doctor`, as the sandbox holds it.
func patient(of doctor: Int, _ sandbox: RunningSandbox) async throws -> Int {
    let rows = try await sandbox.adminJSON("records/patients")["results"]?.arrayValue ?? []
    return try #require(rows.compactMap(\.objectValue).first { $0.int("doctor") == doctor }?.int("id"))
}

func bulkListsBegun(_ sandbox: RunningSandbox) async throws -> Int {
    let endpoints = try await sandbox.adminJSON("requests")["by_endpoint"]?.objectValue ?? [:]
    return endpoints.pairs.filter { $0.key.hasPrefix("POST") && $0.key.hasSuffix("_list") }.compactMap { $0.value.intValue }.reduce(0, +)
}

@Suite("One mirror through several DrChrono logins of one practice")
struct GrantedSyncTests {
    @Test("with a practice-wide grant alive it alone reads: every row once, the load's requests those of one login")
    func practiceWideReadsAlone() async throws {
        try await withSandbox { sandbox in
            let practice = try await GrantedPractice.make(sandbox, practiceWide: true)
            let report = try await practice.sync.catchUp()
            #expect(report.loaded)
            #expect(try await practice.sync.currentPlan().readers.map(\.name) == ["everyone"])
            for resource in MirrorResource.allCases {
                #expect(try await practice.ids(resource) == (try await sandbox.mirroredIds(of: resource)), "\(resource)")
            }
            let together = await practice.spent()
            // The fewest the grants allow: the practice-wide login's own load, on a mirror of its own.
            let alone = try await LoggedInClient.make(sandbox, time: SandboxTime(sandbox), user: "frontdesk")
            let mirror = try MirrorDatabase.open(at: alone.profile.file("mirror.sqlite").path)
            _ = try await SyncEngine(
                mirror: mirror, client: alone.client, timeZone: RunningSandbox.practiceZone, time: SandboxTime(sandbox)
            )
            .catchUp()
            let fewest = await alone.client.budgetSpent().spent
            #expect(fewest > 10)
            #expect(Double(together) <= Double(fewest) * 1.05, "\(together) requests through the grants, \(fewest) through one login")
        }
    }

    @Test("revoking the practice-wide grant leaves the offices syncing, from its bookmarks: nothing loaded again, nothing removed")
    func revokedPracticeWide() async throws {
        try await withSandbox { sandbox in
            let practice = try await GrantedPractice.make(sandbox, practiceWide: true)
            _ = try await practice.sync.catchUp()
            let begun = try await bulkListsBegun(sandbox)
            #expect(try await sandbox.admin("POST", "tokens/revoke", ["user": "frontdesk"]).status == 200)
            var changed: [Int: String] = [:]
            for (index, doctor) in practice.doctors.enumerated() {
                let patient = try await patient(of: doctor, sandbox)
                changed[patient] = "555-010\(index)"
                #expect(
                    try await sandbox.admin("PATCH", "records/patients/\(patient)", ["cell_phone": .string(changed[patient]!)]).status
                        == 204)
            }
            try await sandbox.advanceClock(seconds: 60)
            _ = try await practice.sync.pass()
            #expect(practice.dead.all == ["everyone"])
            _ = try await practice.sync.pass()
            #expect(try await practice.sync.currentPlan().readers.map(\.name) == ["", "north", "south"])
            for (patient, phone) in changed { #expect(try await practice.phone(patient) == phone) }
            #expect(try await bulkListsBegun(sandbox) == begun, "the offices went on from the bookmarks handed over, no list read whole")
            for resource in [MirrorResource.patients, .appointments, .clinicalNotes, .lineItems] {
                #expect(try await practice.ids(resource) == (try await sandbox.mirroredIds(of: resource)), "\(resource)")
            }
        }
    }

    @Test("offices alone: each reads its doctor; a 404 through one is no deletion; one revoked keeps its doctor's rows, the rest sync")
    func officesAlone() async throws {
        try await withSandbox { sandbox in
            let practice = try await GrantedPractice.make(sandbox, practiceWide: false)
            _ = try await practice.sync.catchUp()
            let plan = try await practice.sync.currentPlan()
            #expect(plan.readers.map(\.name) == ["", "north", "south"])
            for resource in MirrorResource.allCases {
                #expect(try await practice.ids(resource) == (try await sandbox.mirroredIds(of: resource)), "\(resource)")
            }
            // The profile's own login and north answer 404 for south's patient: still there.
            let southern = try await patient(of: practice.doctors[1], sandbox)
            try await practice.sync.refresh(.patients, id: String(southern))
            #expect(try await practice.ids(.patients).contains(String(southern)))

            let northern = try await patient(of: practice.doctors[0], sandbox)
            let northernPhone = try await practice.phone(northern)
            #expect(try await sandbox.admin("POST", "tokens/revoke", ["user": "office-1"]).status == 200)
            #expect(try await sandbox.admin("PATCH", "records/patients/\(southern)", ["cell_phone": "555-0199"]).status == 204)
            #expect(try await sandbox.admin("PATCH", "records/patients/\(northern)", ["cell_phone": "555-0198"]).status == 204)
            try await sandbox.advanceClock(seconds: 60)
            let before = try await practice.ids(.patients)
            _ = try await practice.sync.pass()
            _ = try await practice.sync.pass()
            _ = try await practice.sync.reconcile(.patients)
            #expect(practice.dead.all == ["north"])
            #expect(try await practice.sync.currentPlan().unseen == [practice.doctors[0]])
            let unseen = try await practice.mirror.pool.read { db in try MirrorQueries.unseenDoctors(db) }
            #expect(unseen == [practice.doctors[0]], "the schedule marks that doctor's column as last read")
            #expect(try await practice.phone(southern) == "555-0199", "south goes on syncing")
            #expect(try await practice.phone(northern) == northernPhone, "north's patient stays as last read")
            #expect(try await practice.ids(.patients) == before, "no row of the revoked office's doctor removed")
        }
    }

    @Test("a person's booking goes with their office's login; its answer lost, it is found again through that login, never sent twice")
    func lostAnswerThroughTheGrant() async throws {
        try await withSandbox { sandbox in
            let practice = try await GrantedPractice.make(sandbox, practiceWide: false)
            _ = try await practice.sync.catchUp()
            _ = try await sandbox.admin("PUT", "faults", ["spec": "drop=1"])
            let pusher = try await practice.queueNorasBooking(for: practice.doctors[0], hour: 9, sandbox)
            let report = try await pusher.push()
            #expect(report.reconciled == 1, "found again through north: \(report)")
            #expect(try await sandbox.count("POST /api/appointments") == 1, "never sent twice")
            let writes = (try await sandbox.adminJSON("writes")["writes"]?.arrayValue ?? []).compactMap(\.objectValue)
            #expect(writes.filter { $0.string("method") == "POST" }.map { $0.string("username") } == ["office-1"])
        }
    }

    @Test("a write DrChrono refuses through the person's office login (403) fails there, in words, and is never sent through another login")
    func refusedThroughTheGrant() async throws {
        try await withSandbox { sandbox in
            let practice = try await GrantedPractice.make(sandbox, practiceWide: true)
            _ = try await practice.sync.catchUp()
            // Queued as if the desk had let it through: a booking for the second doctor,
            // whose side north's login does not see.
            let pusher = try await practice.queueNorasBooking(for: practice.doctors[1], hour: 10, sandbox)
            _ = try await pusher.push()
            _ = try await pusher.push()
            let entry = try #require(try await practice.mirror.pool.read { db in try Outbox.entries(db) }.first)
            #expect(entry.state == .failed, "\(entry.state)")
            #expect(!(entry.message ?? "").isEmpty, "the reason is kept for the person")
            let posted = (try await sandbox.adminJSON("writes")["writes"]?.arrayValue ?? []).compactMap(\.objectValue)
            #expect(posted.isEmpty, "nothing made: \(posted)")
            #expect(try await sandbox.count("POST /api/appointments") == 1, "asked once, through north alone")
        }
    }

    @Test(
        "a patient moved to another office's doctor is moved in the mirror, never removed (not even for a moment) by the office that stopped listing them"
    )
    func movedToAnotherSide() async throws {
        try await withSandbox { sandbox in
            let practice = try await GrantedPractice.make(sandbox, practiceWide: false)
            _ = try await practice.sync.catchUp()
            // From north's doctor to south's: north reconciles before south.
            let moved = try await patient(of: practice.doctors[0], sandbox)
            #expect(try await sandbox.admin("PATCH", "records/patients/\(moved)", ["doctor": .int(practice.doctors[1])]).status == 204)
            try await sandbox.advanceClock(seconds: 60)
            // The daily reconciliation, before any pass has read the move.
            _ = try await practice.sync.reconcile(.patients)
            let held = try await practice.mirror.pool.read { db in try MirrorQueries.patient(db, id: moved) }
            #expect(held?.doctor == practice.doctors[1], "moved: \(String(describing: held?.doctor))")
            let removals = try await practice.mirror.pool.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM events WHERE table_name = 'patients' AND subject = ? AND action = 'delete'",
                    arguments: [String(moved)])
            }
            #expect(removals == 0, "the change stream never said the patient was deleted")
        }
    }
}
