import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Sync
import Testing

@Suite("Which login reads what: the grants' plan and its handovers")
struct GrantPlanTests {
    typealias Login = GrantPlan.Login

    @Test("a live practice-wide login reads everything alone; the offices' logins only when it is dead")
    func practiceWideAlone() {
        let offices = [Login(name: "north", sight: .doctors([1])), Login(name: "south", sight: .doctors([2]))]
        let wide = GrantPlan.make(logins: offices + [Login(name: "", sight: .practice)], doctors: [1, 2])
        #expect(wide.readers == [.sole])
        #expect(wide.unseen.isEmpty)
        let without = GrantPlan.make(logins: offices + [Login(name: "", sight: .practice, alive: false)], doctors: [1, 2])
        #expect(without.readers.map(\.name) == ["north", "south"])
        #expect(without.readers.map(\.readsSettings) == [true, false], "one reader reads the practice's settings")
        #expect(without.readers.map(\.doctors) == [[1], [2]])
        #expect(without.readers.allSatisfy { $0.narrowTo == nil }, "each sees only its own doctor: nothing to narrow")
    }

    @Test("overlapping logins: the fewest that cover every doctor, the second narrowed to the doctor it alone reads")
    func overlapping() {
        let plan = GrantPlan.make(
            logins: [
                Login(name: "a", sight: .doctors([1, 2])), Login(name: "b", sight: .doctors([2, 3])),
                Login(name: "c", sight: .doctors([3])),
            ], doctors: [1, 2, 3])
        #expect(plan.readers.map(\.name) == ["a", "b"], "c adds nothing once a and b read")
        #expect(plan.readers[1].doctors == [3])
        #expect(plan.readers[1].narrowTo == 3, "b sees doctor 2 too, whom a reads: its lists ask doctor=3")
        #expect(plan.readers[0].narrowTo == nil)
    }

    @Test("a doctor no live login sees is unseen: their rows stay as last read")
    func unseenDoctor() {
        let plan = GrantPlan.make(
            logins: [Login(name: "north", sight: .doctors([1])), Login(name: "south", sight: .doctors([2]), alive: false)], doctors: [1, 2])
        #expect(plan.readers.map(\.name) == ["north"])
        #expect(plan.unseen == [2])
        #expect(GrantPlan.make(logins: [Login(name: "north", sight: .doctors([1]), alive: false)], doctors: [1]).readers.isEmpty)
    }

    @Test("a handover: the offices take the practice-wide login's bookmarks; a reader no retired one covered starts afresh")
    func handover() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grant-plan-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mirror = try MirrorDatabase.open(at: path)
        try mirror.pool.write { db in
            var patients = SyncBookmark(resource: "patients", scope: "all", bookmark: "2026-03-04T10:00:00")
            patients.loaded = true
            patients.seenThrough = "2026-03-04T10:05:00"
            try patients.save(db)
            var midway = SyncBookmark(resource: "clinical_notes", scope: "all")
            midway.resumeURL = "/api/clinical_notes_list?uuid=x"
            try midway.save(db)
            // The profile's own login read everything until now.
            #expect(try SyncBookmark.readers(in: db) == ["": nil])
            try SyncBookmark.adopt(readers: [(name: "north", doctors: [1]), (name: "south", doctors: [2])], in: db)
            for office in ["north", "south"] {
                let taken = try #require(try SyncBookmark.find(db, resource: "patients", scope: "\(office):all"))
                #expect(taken.bookmark == "2026-03-04T10:00:00" && taken.seenThrough == "2026-03-04T10:05:00" && taken.loaded)
                #expect(
                    try SyncBookmark.find(db, resource: "clinical_notes", scope: "\(office):all") == nil,
                    "a list read midway is begun again")
            }
            #expect(try SyncBookmark.find(db, resource: "patients", scope: "all") == nil, "the retired login's rows go")
            #expect(try SyncBookmark.readers(in: db) == ["north": [1], "south": [2]])
            // North dies; south comes to read doctor 1 too, which no retired login covered
            // except north: it takes north's older bookmarks.
            var later = try #require(try SyncBookmark.find(db, resource: "patients", scope: "south:all"))
            later.seenThrough = "2026-03-04T11:00:00"
            try later.save(db)
            try SyncBookmark.adopt(readers: [(name: "south", doctors: [1, 2])], in: db)
            #expect(try SyncBookmark.find(db, resource: "patients", scope: "south:all")?.seenThrough == "2026-03-04T10:05:00")
            // A new practice-wide login reads what no retired login read wholly: afresh.
            try SyncBookmark.adopt(readers: [(name: "everyone", doctors: nil)], in: db)
            #expect(try SyncBookmark.find(db, resource: "patients", scope: "everyone:all") == nil)
            #expect(try SyncBookmark.find(db, resource: "patients", scope: "south:all") == nil)
        }
    }

    @Test("a narrower login's copy of a row never takes away a field a wider one read; a field sent empty is cleared")
    func mergeKeepsFields() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grant-merge-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mirror = try MirrorDatabase.open(at: path)
        let wide: JSONObject = [
            "id": 7, "first_name": "Ada", "last_name": "Quill", "doctor": 1, "cell_phone": "555-0100", "email": "ada@example.org",
        ]
        var narrow = wide
        narrow["cell_phone"] = nil
        narrow["email"] = ""
        narrow["first_name"] = "Adah"
        try mirror.pool.write { db in
            try MirrorWriter.store([wide], as: .patients, in: db)
            try MirrorWriter.store([narrow], as: .patients, in: db, keepingFields: true)
            let kept = try #require(try MirrorQueries.patient(db, id: 7))
            #expect(kept.cellPhone == "555-0100", "left out: kept")
            #expect(kept.email == "", "sent empty: cleared")
            #expect(kept.firstName == "Adah", "sent: taken")
            try MirrorWriter.store([narrow], as: .patients, in: db)
            #expect(try MirrorQueries.patient(db, id: 7)?.cellPhone == "", "a sole login's copy is the row")
        }
    }
}
