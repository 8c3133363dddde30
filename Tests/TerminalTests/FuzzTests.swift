import Console
import ConsoleTestSupport
import DrChronoAPI
import DrChronoSandbox
import Foundation
import Terminal
import Testing

/// Bounded fuzzing, run with every `make test`: a fixed number of seeded random inputs
/// (so a failure reproduces) through everything that reads untrusted bytes — the API
/// decoders, the key decoder, the settings files — and random keys through the whole
/// console. Nothing may crash, and nothing drawn may carry a control character.
@Suite("Fuzzing the decoders and the keys")
struct FuzzTests {
    static let samples = [
        #"{"id": 100, "first_name": "María", "last_name": "López", "date_of_birth": "1985-05-17", "chart_id": "LOMA0001", "doctor": 1}"#,
        #"{"id": "1001", "doctor": 1, "office": 10, "exam_room": 1, "patient": 100, "scheduled_time": "2026-03-04T09:00:00", "duration": 30, "status": "Checked In", "clinical_note": {"locked": true}}"#,
        #"{"id": 5001, "appointment": "1001", "patient": 100, "signee": {"locked_by": "x"}, "clinical_note_sections": [{"name": "S", "values": [{"clinical_note_field": 1, "value": "v"}]}]}"#,
        #"{"id": 7001, "appointment": "1001", "code": "99213", "procedure_type": "C", "price": "125.00", "quantity": "1", "diagnosis_pointers": ["I10"], "modifiers": null}"#,
        #"{"id": 10, "name": "Main", "start_time": "08:00:00", "exam_rooms": [{"index": 1, "name": "Exam 1"}], "archived": "false"}"#,
    ]

    static func decodeEverything(_ object: JSONObject) {
        _ = Patient(json: object); _ = Appointment(json: object); _ = ClinicalNote(json: object); _ = LineItem(json: object)
        _ = Doctor(json: object); _ = Office(json: object); _ = Problem(json: object); _ = Medication(json: object)
        _ = Allergy(json: object); _ = Document(json: object); _ = AppointmentProfile(json: object); _ = CurrentUser(json: object)
    }

    @Test("API decoders: 20,000 mutated and random answers")
    func decoders() {
        var random = SeededRandom(seed: 0xC0FFEE)
        let alphabet = Array(#"{}[]":,0123456789.-eEtrufalsn \#\u{1B}\u{0}é李"#.utf8)
        for round in 0..<20_000 {
            var bytes = Array(Self.samples[round % Self.samples.count].utf8)
            switch round % 4 {
            case 0:  // flip bytes
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 1:  // splice in JSON-ish characters
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    bytes.insert(alphabet.randomElement(using: &random)!, at: Int.random(in: 0...bytes.count, using: &random))
                }
            case 2:  // cut short
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            default:  // noise
                bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            }
            if let value = try? JSONValue.parse(Data(bytes)), let object = value.objectValue { Self.decodeEverything(object) }
        }
        // Values of every type under every key the models read.
        let keys = [
            "id", "patient", "doctor", "first_name", "last_name", "scheduled_time", "duration", "status", "price", "quantity",
            "date_of_birth", "clinical_note_sections", "exam_rooms", "diagnosis_pointers", "modifiers", "signee", "clinical_note",
        ]
        let values: [JSONValue] = [
            .null, .bool(true), .int(-1), .int(Int.max), .double(1e308), .string(""), .string("\u{1B}[2J"), .array([.null]), .object([:]),
        ]
        for _ in 0..<5_000 {
            var object = JSONObject()
            for key in keys where Bool.random(using: &random) { object[key] = values.randomElement(using: &random)! }
            Self.decodeEverything(object)
        }
    }

    @Test("key decoder and settings files: 50,000 random codes and 5,000 random files")
    func parsers() {
        var random = SeededRandom(seed: 0xBEEF)
        for _ in 0..<50_000 {
            let code =
                Bool.random(using: &random)
                ? UInt32.random(in: 0...0x300, using: &random) : UInt32.random(in: 0...0x11_0000, using: &random)
            if case .key(.character(let c))? = KeyDecoder.decode(code, isKeyCode: Bool.random(using: &random)) {
                #expect(c.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) })
            }
        }
        let pieces = [
            "[", "]", "schedule", "global", "=", "\"", "'", "#", "\n", " ", "book", "quit", "ctrl-", "x", ",", "normal", "fg", "#ffffff",
            "true", "\\", "é",
        ]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...30, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            _ = try? KeyMap.load(text, name: "fuzz.toml")
            _ = try? Theme(parsing: text, file: "fuzz.toml")
        }
    }

    @Test("the console: 20,000 random keys, drawn at random sizes, never crash or leak a control character")
    func randomKeys() throws {
        var random = SeededRandom(seed: 0xFEED)
        let session = try PracticeFixture().session()
        let keys: [Key] =
            [
                .up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab, .backspace, .delete,
                .control("l"), .control("u"), .control("w"), .control("d"), .function(1),
            ]
            + "abcdghjklmnopqrstwxy1234/:?[]$ GNT+-0é李\u{1B}".map { Key.character($0) }
        for step in 0..<20_000 {
            // A quit only sets a flag here: the keys keep coming, as they would to a
            // console that had not yet been torn down.
            session.press(keys.randomElement(using: &random)!)
            if step % 50 == 0 {
                let width = Int.random(in: 20...160, using: &random)
                let height = Int.random(in: 8...60, using: &random)
                session.resize(width: width, height: height)
                let frame = ConsoleView.render(session.model, width: width, height: height)
                #expect(
                    frame.cells.allSatisfy { $0.text.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) } })
            }
        }
    }
}
