import Foundation
import Testing

/// A mistake on the command line is said as what it is: a word that is no command, with the
/// nearest one; a failure while running, in its own words, without an unrelated usage line.
@Suite("Mistakes on the command line")
struct CommandLineTests {
    @Test("a mistyped command names the nearest one; a run-time failure prints no usage line; an option's mistake keeps its usage")
    func mistakes() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let env = ["XDG_CONFIG_HOME": home.path]
        let typo = try await Chronoterm.run(["sycn"], environment: env)
        #expect(typo.status == 64 && typo.errors.contains("there is no command 'sycn'. Did you mean 'sync'?"), "\(typo.errors)")
        #expect(!typo.errors.contains("Usage: chronoterm console"), "not the console's usage")
        let noCopy = try await Chronoterm.run(["day-sheet"], environment: env)
        #expect(noCopy.status == 1 && noCopy.errors.contains("has no local copy yet: run chronoterm sync first"), "\(noCopy.errors)")
        #expect(!noCopy.errors.contains("Usage:"), "no usage line for a failure while running: \(noCopy.errors)")
        let option = try await Chronoterm.run(["day-sheet", "--formt", "csv"], environment: env)
        #expect(
            option.status != 0 && option.errors.contains("Did you mean '--format'?")
                && option.errors.contains("Usage: chronoterm day-sheet"))
    }
}
