import DrChronoAPI
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Testing

@Suite("chronoterm sync, killed and restarted")
struct SyncCommandTests {
    @Test("kill -9 at random points of an initial load, then a restart: the same mirror, at most a page fetched again per kill")
    func killedLoadResumes() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            _ = try await sandbox.admin("DELETE", "requests")
            var kills = 0
            for delay in [0.15, 0.3, 0.25, 0.5, 0.2, 0.4] {
                let (process, _, _) = try Chronoterm.start(["sync", "--once"], environment: env)
                try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    kills += 1
                }
                await Chronoterm.waitForExit(process)
            }
            #expect(kills >= 2, "the load was interrupted \(kills) times")
            let finished = try await Chronoterm.run(["sync", "--once"], environment: env)
            #expect(finished.status == 0, "\(finished.errors)")
            #expect(finished.errors.contains("Loaded the practice") || finished.errors.contains("Up to date"))

            let path = URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!).appendingPathComponent("chronoterm/profiles/desk/mirror.sqlite").path
            let mirror = try MirrorDatabase.open(at: path)
            for resource in MirrorResource.allCases {
                let stored = try await mirror.pool.read { db in try MirrorWriter.ids(of: resource, in: db) }
                // chronoterm's today is the machine's, not the sandbox clock's.
                let served = try await sandbox.mirroredIds(of: resource, today: LocalDateTime(Date(), in: .current))
                #expect(stored == served, "\(resource): \(stored.count) stored, \(served.count) in the sandbox")
            }
            // Rows served beyond what one uninterrupted load needs: at most one page per kill.
            let counters = try await sandbox.adminJSON("requests")
            let rowsServed = counters["rows_served"]?.objectValue ?? [:]
            let patients = rowsServed.int("GET /api/patients_list") ?? 0
            #expect(patients <= 200 + kills * 1000, "\(patients) patient rows served over \(kills) kills")
            let notes = rowsServed.int("GET /api/clinical_notes_list") ?? 0
            let noteCount = try await sandbox.adminJSON("records/clinical_notes").int("count") ?? 0
            #expect(notes <= noteCount + kills * 1000)
        }
    }
}
