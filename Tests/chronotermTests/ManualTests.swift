import Foundation
import Testing

/// The shipped manual follows the commands: the man page is generated from their own help
/// (`make man`), and a command added without regenerating it fails here.
@Suite("The manual")
struct ManualTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("docs/man/chronoterm.1 names every command chronoterm --help lists")
    func manPageCoversTheCommands() async throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/man/chronoterm.1"), encoding: .utf8)
        let help = try await Chronoterm.run(["--help"], environment: [:])
        let lines = help.output.split(separator: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("SUBCOMMANDS:") }) else {
            Issue.record("no subcommands in --help:\n\(help.output)")
            return
        }
        let commands = lines[(start + 1)...].prefix { $0.hasPrefix("  ") }.compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(commands.count >= 10, "\(commands)")
        for command in commands { #expect(page.contains(command), "the man page lacks \(command): run make man") }
    }

    @Test("every manual page the README links to is there")
    func linksHold() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let links = readme.matches(of: /\]\(((?:docs\/|[A-Z]+\.md)[^)#]*)\)/).map { String($0.1) }
        #expect(links.count >= 8)
        for link in links { #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(link).path), "\(link)") }
    }

    @Test("docs/export.md's tables are the export's own: every table, column, type and what is PHI")
    func exportTablesDocumented() async throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/export.md"), encoding: .utf8)
        let listed = try await Chronoterm.run(["export", "--list", "--markdown"], environment: [:])
        #expect(listed.status == 0 && listed.output.contains("### appointments"), "\(listed.errors)")
        let start = try #require(page.range(of: "<!-- tables: chronoterm export --list --markdown"))
        let end = try #require(page.range(of: "<!-- end of tables -->"))
        let block = page[start.upperBound..<end.lowerBound].drop { $0 != "\n" }.dropFirst()
        #expect(
            String(block) == listed.output, "docs/export.md's tables differ from chronoterm export --list --markdown: paste them in again")
    }
}
