import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Terminal
import Testing

/// Every list and form of the day, on the practice with the hardest names (a very long
/// surname, combining marks, wide and right-to-left letters, a long doctor's and office's
/// name), at the smallest window a console is used in (80×24) and the usual one (120×40).
/// Each screen is kept in Fixtures/sizes/ (UPDATE_GOLDENS=1 writes them anew; review the diff).
@Suite("Golden screens at 80×24 and 120×40, hardest names")
struct GoldenSizesTests {
    /// One screen of the day: who sees it and the keys that reach it.
    struct Screen: Sendable, CustomStringConvertible {
        var name: String
        var role: Role = .frontDesk
        var drive: @Sendable (ConsoleSession) -> Void

        var description: String { name }
    }

    static let screens: [Screen] = [
        Screen(name: "schedule-day") { $0.press(.character("l")) },
        Screen(name: "schedule-week") { $0.press(.character("w")) },
        Screen(name: "schedule-rooms") { $0.press(.character("r")) },
        Screen(name: "search") { session in
            session.press(.character("/"))
            session.type("o")
        },
        Screen(name: "notes") { session in
            session.press(.character("/"))
            session.type("lopez")
            session.press(.enter)
        },
        Screen(name: "notes-problems") { session in
            session.press(.character("/"))
            session.type("lopez")
            session.press(.enter)
            session.press(.character("]"))
        },
        Screen(name: "help-schedule") { $0.press(.character("?")) },
        Screen(name: "booking-form") { session in
            session.press(.character("b"))
            session.type("nguyen")
            session.press(.enter)
        },
        Screen(name: "new-patient-form") { session in
            session.press(.character("N"))
            session.type("Wolfeschlegelsteinhausenbergerdorff")
        },
        Screen(name: "patient-status") { session in
            session.press(.character("l"))
            session.press(.character("s"))
        },
        Screen(name: "take-payment") { session in
            session.press(.character("l"))
            session.press(.character("P"))
        },
        Screen(name: "go-to-date") { session in
            session.press(.character("d"))
            session.type("sometime next week")
            session.press(.enter)
        },
        Screen(name: "command-line") { session in
            session.press(.character(":"))
            session.type("the")
            session.press(.tab)
        },
        Screen(name: "confirm-list") { $0.press(.character("W")) },
        Screen(name: "find-slot") { session in
            session.press(.character("f"))
            session.press(.tab)
            session.press(.right)
            session.press(.enter)
        },
        Screen(name: "attach-document") { session in
            session.press(.character("/"))
            session.type("nguyen")
            session.press(.escape)
            session.press(.character("A"))
            session.type("insurance-card-front-and-back-scanned.pdf")
        },
        Screen(name: "collections") { $0.press(.character("C")) },
        Screen(name: "billing", role: .billing) { _ in },
        Screen(name: "billing-form", role: .billing) { session in
            session.press(.character("a"))
            session.type("E11.99999")
            session.press(.enter)
        },
        Screen(name: "billing-code-lookup", role: .billing) { session in
            session.press(.character("a"))
            session.type("99213")
            for _ in 0..<5 { session.press(.tab) }
            session.type("type 2 diabetes")
        },
        Screen(name: "void-picker", role: .billing) { $0.press(.character("v")) },
        Screen(name: "billing-profile", role: .billing) { $0.press(.character("L")) },
        Screen(name: "billing-status", role: .billing) { $0.press(.character("B")) },
        Screen(name: "claim-note", role: .billing) { session in
            session.press(.character("M"))
            session.type("Resubmitted with modifier 25 after the payer's request for records")
        },
        Screen(name: "day-totals", role: .billing) { $0.press(.character("T")) },
        Screen(name: "my-day", role: .clinician) { $0.press(.character("D")) },
        Screen(name: "chart-labs", role: .clinician) { session in
            session.press(.character("D"))
            session.press(.enter)
            for _ in 0..<4 { session.press(.character("]")) }
        },
        Screen(name: "chart-medications", role: .clinician) { session in
            session.press(.character("D"))
            session.press(.enter)
            for _ in 0..<2 { session.press(.character("]")) }
        },
        Screen(name: "chart-documents", role: .clinician) { session in
            session.press(.character("D"))
            session.press(.enter)
            for _ in 0..<6 { session.press(.character("]")) }
        },
    ]

    static let sizes: [(width: Int, height: Int)] = [(80, 24), (120, 40)]

    @Test("each list and form at 80×24 and 120×40 with the hardest names", arguments: screens)
    func screen(_ screen: Screen) throws {
        for (width, height) in Self.sizes {
            let fixture = try PracticeFixture.hardestNames()
            try fixture.setCopay("25.00", patients: [100])
            try fixture.addTomorrow(second: 101, status: "Not Confirmed")
            try fixture.addDayOfBilling()
            try fixture.addLabsAndVitals()
            let session =
                screen.role == .clinician
                ? try fixture.clinicianSession(width: width, height: height)
                : try fixture.session(
                    role: screen.role, width: width, height: height,
                    folders: PersonFolders(inbox: PersonFolder(path: "/srv/practice/inbox")))
            screen.drive(session)
            session.resize(width: width, height: height)
            var model = session.model
            // The screen as it stands once a passing message has cleared is the one kept.
            if screen.name == "schedule-day" { model.message = nil }
            let buffer = ConsoleView.render(model, width: width, height: height, glyphs: .unicode, asciiOnly: false)
            try GoldenFile.match("sizes/\(screen.name)-\(width)x\(height)", buffer)
            // Nothing is drawn past the window's edge: each line is the window's width, no wider.
            #expect(buffer.lines.allSatisfy { TextColumn.width(of: $0) <= width }, "\(screen.name) at \(width)×\(height)")
        }
    }
}

/// A golden screen kept beside the tests: compared, or written anew with UPDATE_GOLDENS=1.
enum GoldenFile {
    static func match(_ name: String, _ buffer: CellBuffer, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
            .appendingPathComponent(name + ".txt")
        let text = buffer.lines.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] != nil {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let stored = try #require(
            try? String(contentsOf: url, encoding: .utf8), "no golden screen \(name).txt: run with UPDATE_GOLDENS=1",
            sourceLocation: sourceLocation)
        #expect(text == stored, "the \(name) screen changed:\n\(text)", sourceLocation: sourceLocation)
    }
}
