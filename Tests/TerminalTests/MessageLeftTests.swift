import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Practice
import Terminal
import Testing

/// "Left a message" (`m` in the worklist) leaves a trace a person sees: in the worklist,
/// the schedule's foot line and the status box.
@Suite("A message left shows where the desk looks")
struct MessageLeftTests {
    func text(_ model: ConsoleModel) -> String { ConsoleView.render(model, width: 120, height: 40).lines.joined(separator: "\n") }

    @Test("m in the worklist: the row says when the message was left, by whom")
    func worklist() throws {
        let fixture = try PracticeFixture()
        try fixture.addTomorrow(notes: "bring list of medicines")
        let session = try fixture.session()
        session.press(.character("W"))
        #expect(!text(session.model).contains("message left"))
        session.press(.character("m"))
        let row = try #require(text(session.model).split(separator: "\n").first { $0.contains("Smith") }, "James Smith's row")
        #expect(row.contains("msg 3/4 9:00 am") && row.contains("coverage INACTIVE"), "\(row)")
    }

    @Test("the schedule's foot line and the status box show the last message left on the visit")
    func footLineAndStatusBox() {
        let now = LocalDateTime(year: 2026, month: 3, day: 4, hour: 9, minute: 0)
        var model = ConsoleModel(role: .frontDesk, now: now, clock: Date(timeIntervalSince1970: 1_772_636_400))
        _ = model.update(.start)
        _ = model.update(.resize(width: 120, height: 40))
        let notes = MessageLeft.notes("walker", adding: MessageLeft.stamp(at: now.adding(days: -1), by: "dana"))
        let day = ScheduleData(
            doctors: [Doctor(json: ["id": 1, "first_name": "Anika", "last_name": "Patel"])!],
            offices: [Office(json: ["id": 10, "name": "Main", "exam_rooms": [["index": 1, "name": "Exam 1"]]])!],
            appointments: [
                Appointment(json: [
                    "id": "500", "doctor": 1, "office": 10, "exam_room": 1, "patient": 100, "scheduled_time": "2026-03-04T09:00:00",
                    "duration": 30, "status": "", "notes": .string(notes),
                ])!
            ],
            patientNames: [100: "María López"])
        _ = model.update(.result(.loaded(.schedule(day))))
        #expect(text(model).contains("Left message 3/3 9:00 am (dana)"), "the foot line:\n\(text(model))")
        _ = model.update(.key(.character("s"), at: Date(timeIntervalSince1970: 1_772_636_401)))
        let box = text(model).split(separator: "\n").filter { $0.contains("Left message") }
        #expect(!box.isEmpty, "the status box")
    }
}
