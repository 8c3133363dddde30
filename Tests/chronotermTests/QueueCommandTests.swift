import DrChronoAPI
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Testing

@Suite("chronoterm queue")
struct QueueCommandTests {
    @Test("lists queued writes with their state, sends them, and retries or discards one that conflicts")
    func queue() async throws {
        try await withSandbox { sandbox in
            let env = try await Chronoterm.loggedIn(to: sandbox)
            #expect(try await Chronoterm.run(["sync"], environment: env).status == 0)
            #expect(try await Chronoterm.run(["queue"], environment: env).output.contains("Nothing is queued"))

            let path = URL(fileURLWithPath: env["XDG_CONFIG_HOME"]!).appendingPathComponent("chronoterm/profiles/desk/mirror.sqlite").path
            let mirror = try MirrorDatabase.open(at: path)
            let now = LocalDateTime(Date(), in: .current)
            // Two bookings for one slot on a Sunday a week or more ahead (an empty day):
            // the second will conflict.
            let today = LocalDateTime(Date(), in: .current).startOfDay
            let sunday = today.adding(days: 7 - today.weekday + 7).adding(minutes: 9 * 60)
            try await mirror.pool.write { db in
                for _ in 0..<2 {
                    _ = try Outbox.book(
                        Outbox.Booking(doctor: 101, office: 1, examRoom: 1, patient: 10001, scheduledTime: sunday, duration: 30), in: db,
                        now: now)
                }
            }
            let listed = try await Chronoterm.run(["queue"], environment: env)
            #expect(listed.output.contains("2 queued:") && listed.output.contains("pending    appointment create local-"))

            let pushed = try await Chronoterm.run(["queue", "--push"], environment: env)
            #expect(pushed.output.contains("Sent 1"))
            #expect(pushed.output.contains("conflict   appointment create") && pushed.output.contains("overlaps"))
            let seq = try #require(try await mirror.pool.read { db in try Outbox.entries(db).first?.seq })

            let retried = try await Chronoterm.run(["queue", "--retry", String(seq)], environment: env)
            #expect(retried.output.contains("Entry \(seq) is back in line."))
            let again = try await Chronoterm.run(["queue", "--push"], environment: env)
            #expect(again.output.contains("conflict"), "still overlapping")
            let discarded = try await Chronoterm.run(["queue", "--discard", String(seq), "--yes"], environment: env)
            #expect(discarded.output.contains("Discarded entry \(seq).") && discarded.output.contains("Nothing is queued"))
            let day = try await mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: sunday.dateString) }
            #expect(day.count == 1 && !day[0].id.hasPrefix("local-"), "the discarded booking left the schedule; the sent one stays")
        }
    }
}
