import Console
import DrChronoAPI
import DrChronoSandbox
import Foundation
import GRDB
import Mirror
import Testing

@testable import ConsoleTestSupport

@Suite("The clinician's day, driven by keys")
struct ClinicianKeysTests {
    static func practiceWithLabs() throws -> PracticeFixture {
        let fixture = try PracticeFixture()
        try fixture.addLabsAndVitals()
        return fixture
    }

    static func clinician(_ fixture: PracticeFixture) throws -> ConsoleSession { try fixture.clinicianSession() }

    @Test("with no doctor set for the person, D lists every doctor's visits with a doctor column")
    func myDayEveryDoctor() throws {
        let fixture = try Self.practiceWithLabs()
        let session = try fixture.session(role: .clinician)
        session.press(.escape)  // out of the search field it opens on
        session.press(.character("D"))
        guard case .myDay(let list) = session.model.overlay else { Issue.record("no day"); return }
        #expect(list.doctors.isEmpty && list.title.contains("every doctor"))
        let lines = list.rows.map { list.line($0) }
        #expect(lines.contains { $0.contains("Dr. Patel") } && lines.contains { $0.contains("Dr. Okonkwo") }, "\(lines)")
    }

    @Test("D lists the doctor's visits today with results new since the chart was last opened; Enter opens it, and then nothing is new")
    func myDay() throws {
        let fixture = try Self.practiceWithLabs()
        let session = try Self.clinician(fixture)
        session.press(.character("D"))
        guard case .myDay(let list) = session.model.overlay else { Issue.record("no day"); return }
        #expect(list.rows.map(\.appointment.id) == ["1001", "1002"], "Dr. Patel's visits, not the lunch break, not Dr. 2's")
        #expect(list.rows[0].newResults == 3 && list.rows[0].newAbnormal == 2)
        #expect(MyDayList.line(list.rows[0]).contains("● 3 new results, 2 ABNORMAL"))
        #expect(list.rows[1].newResults == 0 && !MyDayList.line(list.rows[1]).contains("●"))
        session.press(.enter)
        #expect(session.model.overlay == nil && session.model.pane == .notes && session.model.chart.patientId == 100)
        session.press(.character("D"))
        guard case .myDay(let again) = session.model.overlay else { Issue.record("no day"); return }
        #expect(again.rows[0].newResults == 0, "looked at since")
    }

    @Test("the chart's labs mark what is out of range; its vitals mark a high blood pressure")
    func labsAndVitals() throws {
        let fixture = try Self.practiceWithLabs()
        let session = try Self.clinician(fixture)
        session.press(.character("D"))
        session.press(.enter)  // María López's 9:00 visit: her chart
        let chart = session.model.chart
        #expect(chart.tabTitle(.labs) == "Labs (3, 2 abnormal)" && chart.tabTitle(.vitals) == "Vitals (1)")
        let labs = try #require(chart.data?.labs)
        #expect(labs.first?.test == "Hemoglobin A1c", "newest first")
        #expect(labs.map(ChartModel.labRow).first == ["3/2/2026", "Hemoglobin A1c", "7.1 %", "4.0-5.6", "HIGH", "entered", "NOT YET"])
        #expect(
            labs.map(ChartModel.labRow).first { $0[1] == "Glucose" } == [
                "3/1/2026", "Glucose", "142.0 mg/dL", "70.0-99.0", "HIGH", "final", "",
            ])
        #expect(labs.map(ChartModel.labRow).first { $0[1] == "Creatinine" }?[4] == "")
        let vitals = try #require(chart.data?.vitals.first)
        #expect(
            ChartModel.vitalsRow(vitals) == [
                "3/4/2026", "150/95 HIGH", "80", "98.6°F", "14", "98%", "150 lbs", "65 inches", "25.0", "0",
            ])
        for _ in 0..<4 { session.press(.character("]")) }
        #expect(session.model.chart.section == .labs)
    }

    @Test("Enter on a document asks for it; its reading shows, scrolls, and s saves a copy where typed (never over a file)")
    func openAndSaveDocument() throws {
        let fixture = try PracticeFixture()
        try fixture.mirror.pool.write { db in
            try MirrorWriter.store(
                [
                    [
                        "id": 70001, "patient": 100, "doctor": 1, "description": "Outside lab report", "date": "2026-03-01",
                        "metatags": [], "document": "http://127.0.0.1:1/_sandbox/files/documents/70001/scan.pdf",
                    ]
                ], as: .documents, in: db)
        }
        let session = try Self.clinician(fixture)
        let tally = Tally<Int>()
        session.services.openDocument = { tally.add($0.id) }
        var asked: [Int] { tally.all }
        session.press(.character("D"))
        session.press(.enter)  // María López's 9:00 visit: her chart
        for _ in 0..<6 where session.model.chart.section != .documents { session.press(.character("]")) }
        #expect(session.model.chart.section == .documents)
        session.press(.enter)
        #expect(asked == [70001] && session.model.message?.text.hasPrefix("Fetching Outside lab report") == true)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pdf = Data(SandboxPDF.page(["Outside lab report", "Glucose 104 mg/dL (H)"]))
        let cached = folder.appendingPathComponent("70001-scan.pdf")
        try pdf.write(to: cached)
        let lines = DocumentReading.lines(of: pdf, file: cached.path)
        #expect(lines.contains { $0.contains("Glucose 104 mg/dL (H)") }, "the PDF's text: \(lines)")
        session.documentRead(DocumentReading(document: 70001, title: "Outside lab report", lines: lines, file: cached.path))
        guard case .document(let view) = session.model.overlay else { Issue.record("no document"); return }
        #expect(view.reading.lines == lines)
        #expect(session.model.message == nil, "'Fetching …' is gone once the document shows")

        session.press(.character("s"))
        session.type("copy.pdf")
        session.press(.enter)
        let target = fixture.folder.appendingPathComponent("documents/copy.pdf").path
        #expect(FileManager.default.contents(atPath: target) == pdf)
        #expect(session.model.message?.text == "Saved to \(target).")
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        #expect(mode == 0o600, "a copy is the account's alone")
        // Again to the same name: refused, the copy kept.
        session.documentRead(DocumentReading(document: 70001, title: "Outside lab report", lines: lines, file: cached.path))
        session.press(.character("s"))
        session.type("copy.pdf")
        session.press(.enter)
        #expect(session.model.message?.text.contains("already exists") == true)
    }

    @Test(
        "a copy goes only into the documents folder: a path, a dot-file, ../ or a link placed there is refused and nothing is written"
    )
    func saveStaysInItsFolder() throws {
        let fixture = try PracticeFixture()
        let outside = fixture.folder.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: outside.appendingPathComponent(".ssh"), withIntermediateDirectories: true)
        let keys = outside.appendingPathComponent(".ssh/authorized_keys2")
        try Data("ssh-ed25519 AAAA owner\n".utf8).write(to: keys)
        // Someone who can write to the documents folder places a link to the keys there.
        try FileManager.default.createSymbolicLink(
            atPath: fixture.folder.appendingPathComponent("documents/keys").path, withDestinationPath: keys.path)
        try FileManager.default.createSymbolicLink(
            atPath: fixture.folder.appendingPathComponent("documents/dangling").path,
            withDestinationPath: outside.appendingPathComponent("new-file").path)
        let session = try Self.clinician(fixture)
        session.press(.character("D"))
        session.press(.enter)  // María López's 9:00 visit: her chart
        for _ in 0..<6 where session.model.chart.section != .documents { session.press(.character("]")) }
        let cached = fixture.folder.appendingPathComponent("70001-scan.pdf")
        try Data("ssh-ed25519 AAAAattacker evil\n".utf8).write(to: cached)
        let hostile = [
            keys.path, "~/.ssh/authorized_keys2", "../home/.ssh/authorized_keys2", ".bash_profile", "keys", "dangling",
            "sub/../../x", "\u{1B}]0;x\u{07}",
        ]
        for typed in hostile {
            session.documentRead(DocumentReading(document: 70001, title: "Scan", lines: ["text"], file: cached.path))
            session.press(.character("s"))
            session.type(typed)
            session.press(.enter)
            #expect(
                session.model.message?.isError == true, "\(typed.debugDescription) was not refused: \(session.model.message?.text ?? "")")
        }
        #expect(try String(contentsOf: keys, encoding: .utf8) == "ssh-ed25519 AAAA owner\n", "the keys are untouched")
        #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("new-file").path), "no file through a link")
        let saved = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.appendingPathComponent("documents").path)
        #expect(Set(saved) == ["keys", "dangling"], "nothing new in the folder: \(saved)")

        // No documents folder set: saving is off, and says who turns it on.
        var model = session.model
        model.folders.documents = nil
        let off = try ConsoleSession(model: model, mirror: fixture.mirror, timeZone: PracticeFixture.zone)
        off.documentRead(DocumentReading(document: 70001, title: "Scan", lines: ["text"], file: cached.path))
        off.press(.character("s"))
        #expect(off.model.message?.text == PersonFolders.savingOff)
    }

    @Test("an image is described by type and size; a file that is not text by its size; control characters never reach the screen")
    func documentKinds() {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        png += [0, 0, 0x04, 0xB0, 0, 0, 0x06, 0x40] + [UInt8](repeating: 0, count: 100)
        #expect(DocumentReading.lines(of: Data(png), file: "/nonexistent").first?.hasPrefix("A PNG image, 1200 × 1600 pixels") == true)
        #expect(DocumentReading.lines(of: Data([0, 1, 2, 3, 0]), file: "/nonexistent").first?.hasPrefix("A file of") == true)
        #expect(DocumentReading.lines(of: Data("Line one\u{1B}[31m\tred\n".utf8), file: "/nonexistent").first == "Line one[31m    red")
    }

    @Test("the day's lab orders still to read come in the order the patients are seen, so a pass that reads some reads the soonest")
    func resultsReadInVisitOrder() throws {
        let fixture = try PracticeFixture()
        try fixture.mirror.pool.write { db in
            // Wei Li (103) at 11:00, James Smith (102) at 10:00, María López (100) at 9:00.
            try MirrorWriter.store(
                [
                    ["id": 3, "patient": 103, "doctor": 2, "status": "F", "timestamp": "2026-03-01T08:00:00"],
                    ["id": 2, "patient": 102, "doctor": 2, "status": "F", "timestamp": "2026-03-01T08:00:00"],
                    ["id": 1, "patient": 100, "doctor": 1, "status": "F", "timestamp": "2026-03-01T08:00:00"],
                    ["id": 4, "patient": 104, "doctor": 2, "status": "F", "timestamp": "2026-03-01T08:00:00"],
                ], as: .labOrders, in: db)
        }
        let orders = try fixture.mirror.pool.read { db in
            try MirrorQueries.ordersWantingResults(db, patients: try MirrorQueries.patientsSeen(db, day: "2026-03-04"))
        }
        #expect(orders == [1, 2, 3], "the earliest visit first; Amelia Müller's visit was cancelled")
    }
}
