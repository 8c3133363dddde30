import DrChronoAPI
import DrChronoSandbox
import Foundation
import GRDB
import Mirror
import Sync

/// A loaded mirror kept in a file between runs, so the console's measures can be taken
/// again after a change without a fresh load of the practice (eight minutes at `large`).
enum KeptMirror {
    /// Opens the mirror at `path`, first loading the practice of `size` from a fresh
    /// sandbox and copying it there when the file does not exist yet.
    static func open(size: PracticeSize, at path: String) async throws -> MirrorDatabase {
        if !FileManager.default.fileExists(atPath: path) {
            say("loading the \(size.rawValue) practice once into \(path)…")
            let practice = try await BenchPractice.start(size: size)
            try await SyncEngine(mirror: practice.mirror, client: practice.client, timeZone: .current).load()
            try await practice.mirror.pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
            await practice.stop()
        }
        return try MirrorDatabase.open(at: path)
    }

    /// The day with the most visits, and 300 patients' "last first" names to type.
    static func busiestDayAndNames(_ mirror: MirrorDatabase) throws -> (day: String, names: [String]) {
        try mirror.read { db in
            (
                try String.fetchOne(db, sql: "SELECT day FROM appointments GROUP BY day ORDER BY COUNT(*) DESC LIMIT 1") ?? "",
                try String.fetchAll(db, sql: "SELECT last_name || ' ' || first_name FROM patients ORDER BY random() LIMIT 300")
            )
        }
    }
}

/// p50, p99 and the slowest of a set of timings in seconds, in milliseconds.
enum Percentiles {
    static func text(_ samples: [Double]) -> String {
        let sorted = samples.sorted()
        func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
        return String(format: "p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d samples)", at(0.5), at(0.99), sorted.last! * 1000, sorted.count)
    }
}
