import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Practice
import Testing

@Suite("Checking a write before it is queued")
struct WriteCheckTests {
    static let now = LocalDateTime(year: 2026, month: 3, day: 4, hour: 10, minute: 30)

    func mirror() throws -> MirrorDatabase { try SmallPractice.mirror() }

    func booking(_ hour: Int, _ minute: Int, day: Int = 5, room: Int = 1) -> Outbox.Booking {
        Outbox.Booking(
            doctor: 101, office: 1, examRoom: room, patient: 10002,
            scheduledTime: LocalDateTime(year: 2026, month: 3, day: day, hour: hour, minute: minute), duration: 30)
    }

    /// The check as the console runs it: the mirror's facts, then the pure check.
    func check(_ booking: Outbox.Booking, in db: Database) throws -> [WriteProblem] {
        BookingCheck.problems(booking, facts: try MirrorQueries.bookingFacts(db, for: booking), now: WriteCheckTests.now)
    }

    @Test("an overlap is named as the front desk would say it, and allowing overlap clears it")
    func overlap() throws {
        let mirror = try mirror()
        try mirror.pool.read { db in
            let problems = try check(booking(10, 45), in: db)
            #expect(
                problems == [
                    .warning(
                        "scheduled_time", "Dr. Patel already has Maria López at 10:30 am in Exam 2 — pick another time or allow overlap.")
                ])
            var allowed = booking(10, 45)
            allowed.allowOverlapping = true
            #expect(try check(allowed, in: db).isEmpty)
            #expect(try check(booking(11, 0), in: db).isEmpty, "back to back is fine")
        }
    }

    @Test("outside office hours, in the past, and what does not exist")
    func hoursPastAndMissing() throws {
        let mirror = try mirror()
        try mirror.pool.read { db in
            #expect(
                try check(booking(16, 45), in: db).map(\.message)
                    == ["Main Street Clinic is open 8:00 am–5:00 pm; 4:45 pm is outside its hours."])
            #expect(
                try check(booking(9, 0, day: 4), in: db).map(\.message) == [
                    "9:00 am on 3/4 has already passed."
                ])
            var nowhere = booking(9, 0, room: 7)
            nowhere.patient = 424242
            nowhere.duration = 0
            let problems = try check(nowhere, in: db)
            #expect(problems.filter { $0.severity == .error }.map(\.field) == ["exam_room", "patient", "duration"])
        }
    }

    @Test("charges: code formats, diagnoses, modifiers, price")
    func charges() {
        var good = Outbox.Charge(code: "99213", procedureType: "C", diagnosisPointers: ["I10", "E11.9"], priceCents: 11000)
        #expect(ChargeCheck.problems(good).isEmpty)
        good.code = "G0439"; good.procedureType = "H"
        #expect(ChargeCheck.problems(good).isEmpty)
        let bad = Outbox.Charge(
            code: "9921", procedureType: "C", diagnosisPointers: ["hypertension", "I10", "E11.9", "J06.9", "R51.9"], priceCents: -100)
        let problems = ChargeCheck.problems(bad)
        #expect(problems.map(\.field) == ["code", "diagnosis_pointers", "diagnosis_pointers", "price"])
        #expect(problems[0].message == "9921 is not a CPT code: five characters, as 99213 or 3008F.")
        #expect(
            ChargeCheck.problems(Outbox.Charge(code: "", procedureType: "C", diagnosisPointers: [], priceCents: 0)).map(\.field) == [
                "code", "diagnosis_pointers", "price",
            ], "a price of nothing is asked about")
    }

    @Test("uploads: a PDF or an image by its bytes, not its name; not empty; not too large; described and dated")
    func uploads() {
        func upload(_ bytes: Data, name: String = "scan.pdf", description: String = "Intake form", date: String = "2026-03-04")
            -> Outbox.Upload
        {
            Outbox.Upload(
                patient: 1, doctor: 101, description: description, date: date, fileName: name, contentType: "application/pdf", bytes: bytes)
        }
        #expect(UploadCheck.problems(upload(Data("%PDF-1.7 ...".utf8))).isEmpty)
        #expect(UploadCheck.problems(upload(Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2]), name: "photo.jpg")).isEmpty)
        #expect(
            UploadCheck.problems(upload(Data("MZ\u{90}\u{0}".utf8), name: "notes.pdf")).map(\.message)
                == ["notes.pdf is not a PDF or an image (PNG, JPEG, GIF or TIFF); DrChrono's chart takes scans and photos."])
        #expect(UploadCheck.problems(upload(Data())).map(\.field) == ["document"])
        var huge = Data("%PDF".utf8); huge.append(Data(count: UploadCheck.largestFile))
        #expect(UploadCheck.problems(upload(huge)).first?.message.contains("the largest upload is 20 MB") == true)
        #expect(
            UploadCheck.problems(upload(Data("%PDF".utf8), description: " ", date: "3/4/2026")).map(\.field) == ["description", "date"])
    }
}
