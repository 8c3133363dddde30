import AgentDesk
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Synchronization
import Testing

/// The agent's desk on the fixture practice, without the wire: what each person is
/// offered, what a preview and a confirm do, and what a token is good for.
@Suite("The agent's desk")
struct AgentDeskTests {
    /// A clock the test moves.
    final class TestClock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_772_636_400))  // 2026-03-04 09:00 in Chicago
        func advance(_ seconds: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    /// The fixture's mirror opened for `name`, as `chronoterm mcp --person` opens it: what
    /// they queue is theirs in the queue and the trail.
    func mirror(_ fixture: PracticeFixture, for name: String) throws -> MirrorDatabase {
        try MirrorDatabase.open(at: fixture.folder.appendingPathComponent("mirror.sqlite").path, person: AuditTrail.Person(name: name))
    }

    func desk(
        _ fixture: PracticeFixture, name: String = "ana", role: Role = .frontDesk, readOnly: Bool = false, clock: TestClock = TestClock()
    ) throws -> AgentDesk {
        AgentDesk(
            mirror: try mirror(fixture, for: name), person: ActingPerson(name: name, role: role), readOnly: readOnly,
            zone: PracticeFixture.zone, clock: { clock.now.withLock { $0 } })
    }

    static let booking: JSONObject = ["patient": 102, "doctor": "Patel", "start": "2026-03-04T15:00", "minutes": 30]

    @Test("each role is offered its own tools; read-only offers no write; a clinician's book is refused with the reason")
    func offered() async throws {
        let fixture = try PracticeFixture()
        let front = Set(try desk(fixture).tools.map(\.rawValue))
        #expect(front.isSuperset(of: ["schedule", "book", "take_payment", "confirm", "cancel_write"]) && !front.contains("clinical_note"))
        let clinician = try desk(fixture, role: .clinician)
        let offered = Set(clinician.tools.map(\.rawValue))
        #expect(offered.contains("clinical_note") && !offered.contains("book") && !offered.contains("confirm"))
        let refused = await clinician.call("book", arguments: Self.booking)
        #expect(refused.isError && refused.text.contains("clinician role may not book"), "\(refused.text)")
        let readOnly = try desk(fixture, readOnly: true).tools
        #expect(!readOnly.isEmpty && readOnly.allSatisfy { !["book", "confirm", "cancel_write", "void_charge"].contains($0.rawValue) })
        #expect(try fixture.outbox().isEmpty)
    }

    @Test(
        "a person of one office's grant: their agent finds none of the other doctor's patients, and booking for that doctor is refused, saying why"
    )
    func oneSide() async throws {
        let fixture = try PracticeFixture()
        let doctors = try await fixture.mirror.pool.read { db in try MirrorQueries.doctors(db) }
        let okonkwo = try #require(doctors.first { $0.lastName == "Okonkwo" }?.id)
        let patel = try #require(doctors.first { $0.lastName == "Patel" }?.id)
        let theirs = try #require(
            try await fixture.mirror.pool.read { db in try (100...120).compactMap { try MirrorQueries.patient(db, id: $0) } }
                .first { $0.doctor == patel })
        let seen = try MirrorDatabase.open(
            at: fixture.folder.appendingPathComponent("mirror.sqlite").path, person: AuditTrail.Person(name: "nora"),
            sight: MirrorSight(doctors: [okonkwo]))
        let nora = AgentDesk(
            mirror: seen, person: ActingPerson(name: "nora", role: .frontDesk, doctors: [okonkwo]), readOnly: false,
            zone: PracticeFixture.zone, clock: { TestClock().now.withLock { $0 } })
        let found = await nora.call("search_patients", arguments: ["query": .string(theirs.lastName)])
        #expect(!found.isError && !found.text.contains(theirs.chartId), "\(found.text)")
        let summary = await nora.call("patient_summary", arguments: ["patient": .int(theirs.id)])
        #expect(summary.isError, "\(summary.text)")
        let refused = await nora.call("book", arguments: Self.booking)
        #expect(refused.isError && refused.text.contains("not on your side of the practice"), "\(refused.text)")
        #expect(try fixture.outbox().isEmpty)
    }

    @Test("a preview queues nothing; confirm queues it once; an altered, another person's or an expired token queues nothing")
    func tokens() async throws {
        let fixture = try PracticeFixture()
        let clock = TestClock()
        let ana = try desk(fixture, clock: clock)
        let preview = await ana.call("book", arguments: Self.booking)
        let token = try #require(preview.structured.objectValue?.string("token"), "\(preview.text)")
        #expect(try fixture.outbox().isEmpty, "a preview queues nothing")

        var altered = Array(token)
        altered[altered.count / 3] = altered[altered.count / 3] == "A" ? "B" : "A"
        #expect(await ana.call("confirm", arguments: ["token": .string(String(altered))]).isError)
        let other = try desk(fixture, name: "ben", clock: clock)
        #expect(await other.call("confirm", arguments: ["token": .string(token)]).isError, "another server's (and person's) token")
        #expect(try fixture.outbox().isEmpty)

        let confirmed = await ana.call("confirm", arguments: ["token": .string(token)])
        #expect(!confirmed.isError, "\(confirmed.text)")
        #expect(await ana.call("confirm", arguments: ["token": .string(token)]).isError, "once")
        #expect(try fixture.outbox().count == 1)

        let late = await ana.call("book", arguments: ["patient": 103, "doctor": "Patel", "start": "2026-03-04T16:00"])
        clock.advance(301)
        let expired = await ana.call("confirm", arguments: ["token": .string(late.structured.objectValue?.string("token") ?? "")])
        #expect(expired.isError && expired.text.contains("expired"), "\(expired.text)")
        #expect(try fixture.outbox().count == 1)
    }

    @Test(
        "a booking over another visit is previewed with its warning and confirmed over it; cancel_write takes it back unsent, and not a colleague's"
    )
    func warningsAndUndo() async throws {
        let fixture = try PracticeFixture()
        let ana = try desk(fixture)
        // 9:00 with Dr. Patel is María López's.
        let preview = await ana.call("book", arguments: ["patient": 102, "doctor": "1", "start": "2026-03-04T09:00", "minutes": 30])
        let warnings = preview.structured.objectValue?["warnings"]?.arrayValue ?? []
        #expect(!preview.isError && !warnings.isEmpty, "\(preview.text)")
        let token = try #require(preview.structured.objectValue?.string("token"))
        #expect(!(await ana.call("confirm", arguments: ["token": .string(token)])).isError)
        let queue = await ana.call("write_queue", arguments: [:])
        let write = try #require(queue.structured.objectValue?["writes"]?.arrayValue?.first?.objectValue?.int("write"))
        let undone = await ana.call("cancel_write", arguments: ["write": .int(write)])
        #expect(!undone.isError, "\(undone.text)")
        #expect(try fixture.outbox().isEmpty)
        let day = try fixture.mirror.read { db in try MirrorQueries.daySchedule(db, day: "2026-03-04") }
        let booked = day.filter { visit in visit.patient == 102 && visit.scheduledTime?.hour == 9 }
        #expect(booked.isEmpty, "the booking left with it")

        // A colleague's write is not Ana's to see or take back.
        let ben = try desk(fixture, name: "ben")
        let theirs = await ben.call("claim_note", arguments: ["appointment": "1001", "text": "Called the payer"])
        #expect(!(await ben.call("confirm", arguments: ["token": .string(theirs.structured.objectValue?.string("token") ?? "")])).isError)
        let bensWrite = try #require(try fixture.outbox().first?.seq)
        #expect((await ana.call("write_queue", arguments: [:])).structured.objectValue?["count"]?.intValue == 0)
        let refused = await ana.call("cancel_write", arguments: ["write": .int(Int(bensWrite))])
        #expect(refused.isError && refused.text.contains("not one of yours"), "\(refused.text)")
        #expect(try fixture.outbox().count == 1)
    }

    @Test("reads answer from the copy: a day's schedule, a search capped at 20, a summary, a note for a clinician; bad input is said")
    func reads() async throws {
        let fixture = try PracticeFixture.hardestNames()
        let ana = try desk(fixture)
        let day = await ana.call("schedule", arguments: ["day": "2026-03-04"])
        // The day's six: four visits, the lunch break and a cancellation.
        #expect(day.structured.objectValue?["visits"]?.arrayValue?.count == 6, "\(day.text)")
        let search = await ana.call("search_patients", arguments: ["query": "lopez"])
        #expect(search.structured.objectValue?["patients"]?.arrayValue?.count == 1, "a compound surname is found by its part")
        let summary = await ana.call("patient_summary", arguments: ["patient": 100])
        #expect(summary.structured.objectValue?["allergies"]?.arrayValue?.count == 1)
        let note = await (try desk(fixture, role: .clinician)).call("clinical_note", arguments: ["patient": 100])
        #expect(note.text.contains("Tension-type headache"), "\(note.text)")
        let bad = await ana.call("schedule", arguments: ["day": "someday"])
        #expect(bad.isError && bad.text.contains("YYYY-MM-DD"))
        let unknown = await ana.call("drop_tables", arguments: [:])
        #expect(unknown.isError && unknown.text.contains("There is no tool"))
    }

    @Test("fifty replies of 200 KB sent at once through the stdio transport come out whole, one a line, under back-pressure")
    func repliesNeverInterleave() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        let transport = LineTransport(input: open("/dev/null", O_RDONLY), output: writeEnd)
        let messages = (0..<50).map { index in
            Data((String(repeating: Character(UnicodeScalar(65 + index % 26)!), count: 200_000) + "\(index)").utf8)
        }
        // A slow reader: the pipe fills and every writer waits on it.
        let reader = Task.detached { () -> [Data] in
            var lines: [Data] = []
            var pending = Data()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while lines.count < 50 {
                let count = read(readEnd, &buffer, buffer.count)
                guard count > 0 else { break }
                pending.append(contentsOf: buffer[..<count])
                while let newline = pending.firstIndex(of: 10) {
                    lines.append(Data(pending[pending.startIndex..<newline]))
                    pending = Data(pending[(newline + 1)...])
                }
                usleep(50)
            }
            return lines
        }
        await withThrowingTaskGroup(of: Void.self) { group in
            for message in messages { group.addTask { try await transport.send(message) } }
        }
        let lines = await reader.value
        close(readEnd)
        close(writeEnd)
        #expect(lines.count == 50)
        #expect(Set(lines) == Set(messages), "every reply whole, none inside another")
    }
}

extension AgentDeskTests {
    @Test(
        "every job is previewed without a write and confirmed into exactly one queued write of its kind",
        arguments: [
            ("move", ["appointment": "1003", "start": "2026-03-04T16:00"], "appointment.update"),
            ("set_status", ["appointment": "1002", "status": "Arrived"], "appointment.update"),
            ("cancel", ["appointment": "1003"], "appointment.update"),
            ("register_patient", ["first_name": "Ines", "last_name": "Duarte", "date_of_birth": "1991-02-03"], "patient.create"),
            ("edit_patient", ["patient": 101, "cell_phone": "(555) 010-7777"], "patient.update"),
            ("take_payment", ["patient": 100, "amount": "25.00", "method": "cash", "appointment": "1001"], "payment.create"),
            ("add_charge", ["appointment": "1001", "code": "99214", "diagnoses": ["I10"], "price": "165.00"], "line_item.create"),
            ("correct_charge", ["line_item": 7001, "price": "150.00"], "line_item.update"),
            ("void_charge", ["line_item": 7001], "line_item.delete"),
            ("claim_status", ["appointment": "1001", "status": "Bill Insurance"], "appointment.billing_status"),
            ("claim_note", ["appointment": "1001", "text": "Resubmitted with modifier 25"], "claim_note.create"),
        ] as [(String, JSONObject, String)])
    func jobs(tool: String, arguments: JSONObject, kind: String) async throws {
        let fixture = try PracticeFixture()
        let ana = try desk(fixture)
        let preview = await ana.call(tool, arguments: arguments)
        #expect(!preview.isError, "\(tool): \(preview.text)")
        #expect(try fixture.outbox().isEmpty, "\(tool): a preview writes nothing")
        let token = try #require(preview.structured.objectValue?.string("token"), "\(tool)")
        let confirmed = await ana.call("confirm", arguments: ["token": .string(token)])
        #expect(!confirmed.isError, "\(tool): \(confirmed.text)")
        let queued = try fixture.outbox()
        #expect(queued.map(\.kind.rawValue) == [kind], "\(tool)")
        #expect(queued.first?.person == "ana", "\(tool): the acting person's write, in the queue and the trail")
    }
}

extension AgentDeskTests {
    @Test("a person removed from the practice gets nothing more from their agent, read or write")
    func removedPerson() async throws {
        let fixture = try PracticeFixture()
        let present = Mutex(true)
        let ana = AgentDesk(
            mirror: fixture.mirror, person: ActingPerson(name: "ana", role: .frontDesk), readOnly: false, zone: PracticeFixture.zone,
            admitted: { present.withLock { $0 } })
        #expect(!(await ana.call("schedule", arguments: ["day": "2026-03-04"])).isError)
        present.withLock { $0 = false }
        let refused = await ana.call("schedule", arguments: ["day": "2026-03-04"])
        #expect(refused.isError && refused.text.contains("no longer one of the practice's people"))
        #expect((await ana.call("book", arguments: Self.booking)).isError)
        #expect(try fixture.outbox().isEmpty)
    }
}
