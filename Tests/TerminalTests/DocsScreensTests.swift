import Foundation
import Testing

/// The screens in the manual are the golden screens, so they cannot drift from what the
/// console draws: each is marked `<!-- screen: NAME lines A-B -->` above its block, and
/// must be those lines of Fixtures/NAME.txt. UPDATE_GOLDENS=1 copies them in anew.
@Suite("The manual's screens")
struct DocsScreensTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    nonisolated(unsafe) static let marked = #/<!-- screen: ([a-z0-9/-]+)(?: lines (\d+)-(\d+))? -->\n```text\n((?:.*\n)*?)```/#

    static func manual() throws -> [URL] {
        let docs = repository.appendingPathComponent("docs")
        return try FileManager.default.contentsOfDirectory(at: docs, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }.sorted { $0.path < $1.path } + [repository.appendingPathComponent("README.md")]
    }

    /// Lines `first` through `last` (from 1) of a golden screen, as a block's text.
    static func golden(_ name: String, first: Int?, last: Int?) throws -> String {
        let url = repository.appendingPathComponent("Tests/TerminalTests/Fixtures/\(name).txt")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let range = (max(1, first ?? 1) - 1)..<min(lines.count, last ?? lines.count)
        return lines[range].joined(separator: "\n") + "\n"
    }

    @Test("every screen in the manual is its golden screen, and every drawn screen in it is marked as one")
    func screensAreGoldens() throws {
        var marked = 0
        for file in try Self.manual() {
            let text = try String(contentsOf: file, encoding: .utf8)
            var updated = text
            for match in text.matches(of: Self.marked).reversed() {
                marked += 1
                let name = String(match.output.1)
                let expected = try Self.golden(name, first: match.output.2.flatMap { Int($0) }, last: match.output.3.flatMap { Int($0) })
                if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] != nil {
                    updated.replaceSubrange(match.output.4.startIndex..<match.output.4.endIndex, with: expected)
                } else {
                    #expect(String(match.output.4) == expected, "\(file.lastPathComponent): the \(name) screen is not the golden one")
                }
            }
            if updated != text { try updated.write(to: file, atomically: true, encoding: .utf8) }
            // A block with a box, a column rule or the tab bar in it that is not marked is a screen copied by hand.
            let unmarked = text.replacing(Self.marked, with: "").matches(of: #/```[a-z]*\n((?:.*\n)*?)```/#).filter {
                $0.output.1.contains("│") || $0.output.1.contains("┌") || $0.output.1.contains("1 Schedule   2 Patients")
            }
            #expect(unmarked.isEmpty, "\(file.lastPathComponent) has a screen copied by hand: mark it <!-- screen: NAME lines A-B -->")
        }
        #expect(marked >= 13, "the manual shows the console's screens")
    }
}
