import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Mirror
import Terminal
import Testing

/// The chart's documents, as a clinician reads the list.
@Suite("The chart's documents")
struct ChartDocumentsTests {
    @Test("a document is dated as everything else is (3/1/2026, not 2026-03-01)")
    func datedLikeTheRest() throws {
        let fixture = try PracticeFixture()
        try fixture.mirror.pool.write { db in
            try MirrorWriter.store(
                [["id": 70001, "patient": 100, "doctor": 1, "description": "Outside lab report", "date": "2026-03-01", "metatags": []]],
                as: .documents, in: db)
        }
        let session = try fixture.clinicianSession()
        session.press(.character("/"))
        session.type("lopez")
        session.press(.enter)
        for _ in 0..<8 where session.model.chart.section != .documents { session.press(.character("]")) }
        #expect(session.model.chart.section == .documents)
        let screen = ConsoleView.render(session.model, width: 120, height: 40).lines.joined(separator: "\n")
        let row = try #require(screen.split(separator: "\n").first { $0.contains("Outside lab report") }, "\(screen)")
        #expect(row.contains("3/1/2026") && !row.contains("2026-03-01"), "\(row)")
    }
}
