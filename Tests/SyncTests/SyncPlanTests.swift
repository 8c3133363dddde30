import DrChronoAPI
import Foundation
import Mirror
import SandboxHarness
import Sync
import Testing

@Suite("The daemon's plan for the hour")
struct SyncPlanTests {
    let plan = SyncPlan.polling
    let ceiling = BudgetPolicy().ceiling(for: .background)

    @Test("with room in the hour, every resource keeps its pace")
    func roomyHour() {
        let paces = plan.paces(hour: .init(spent: 0, secondsLeft: 3600, backgroundCeiling: ceiling), costs: [:])
        #expect(paces == plan.cadence)
    }

    @Test("after a pass that paged through a bulk change, the rest slows down; the schedule and the patients keep their pace")
    func spikeStretchesTheRest() {
        let paces = plan.paces(hour: .init(spent: 40, secondsLeft: 3000, backgroundCeiling: ceiling), costs: [:])
        #expect(paces[.appointments] == 45 && paces[.patients] == 300)
        #expect(paces[.clinicalNotes]! > 600 && paces[.lineItems]! > 600)
        // What the rest of the hour then costs fits the share.
        let projected = paces.map { resource, pace in 3000 / pace }.reduce(0, +)
        #expect(40 + projected <= Double(plan.hourlyShare) + 0.5, "\(40 + projected) requests projected")
    }

    @Test(
        "when people have spent most of the hour, the schedule slows only as far as the ceiling needs; with nothing left, sync waits for the hour"
    )
    func peopleSpentTheHour() {
        let busy = plan.paces(hour: .init(spent: 380, secondsLeft: 1800, backgroundCeiling: ceiling), costs: [:])
        // 425 − 10 − 380 = 35 requests for half an hour: the rest at its slowest, then the
        // schedule and the patients, slowed alike.
        #expect(busy[.lineItems] == 600 * plan.maxStretch)
        #expect(busy[.appointments]! > 45 && busy[.appointments]! < 120, "\(busy[.appointments]!)")
        #expect(abs(busy[.patients]! / 300 - busy[.appointments]! / 45) < 0.001, "\(busy[.patients]!)")
        let spent = plan.paces(hour: .init(spent: 420, secondsLeft: 600, backgroundCeiling: ceiling), costs: [:])
        #expect(spent.values.allSatisfy { $0 > 600 }, "nothing before the hour turns over")
    }

    @Test("dear passes count: a schedule that costs two requests a poll leaves less for the rest")
    func costsCount() {
        let cheap = plan.paces(hour: .init(spent: 0, secondsLeft: 3600, backgroundCeiling: ceiling), costs: [.appointments: 1])
        let dear = plan.paces(hour: .init(spent: 0, secondsLeft: 3600, backgroundCeiling: ceiling), costs: [.appointments: 2])
        #expect(cheap[.lineItems] == 600)
        #expect(dear[.appointments] == 45 && dear[.patients] == 300 && dear[.lineItems]! > 600)
    }

    @Test("read through three logins, the schedule keeps within the share: read less often, the hour's total near one login's")
    func severalReaders() {
        var three = plan
        three.readers = 3
        let costs: [MirrorResource: Double] = [.appointments: 3, .patients: 3]
        let hour = SyncPlan.Hour(spent: 0, secondsLeft: 3600, backgroundCeiling: ceiling)
        let one = plan.paces(hour: hour, costs: costs)
        let paces = three.paces(hour: hour, costs: costs)
        #expect(one[.appointments] == 45, "one login's plan would keep the pace and spend the ceiling's room")
        #expect(paces[.appointments]! > 90 && paces[.appointments]! < 135, "\(paces[.appointments]!)")
        let spend = paces.map { resource, pace in 3600 / pace * (costs[resource] ?? 1) }.reduce(0, +)
        #expect(spend <= Double(plan.hourlyShare) * 1.1, "\(spend) requests an hour")
    }

    @Test(
        "a daemon sharing the hour with people who spent 300 requests keeps today's schedule and patients fresh, slows the rest, and is never throttled"
    )
    func daemonBesidePeople() async throws {
        try await withSandbox({ $0.limitsEnabled = true }) { sandbox in
            let time = SandboxTime(sandbox)
            let fixture = try await SyncFixture.make(sandbox, time: time)
            try await fixture.engine.load()
            try await sandbox.freezeClock()
            // To the top of an hour, then people open 300 charts' worth of requests.
            let now = try await sandbox.now().timeIntervalSince1970
            try await sandbox.advanceClock(by: 3600 - now.truncatingRemainder(dividingBy: 3600) + 1)
            _ = try await sandbox.admin("DELETE", "requests")
            let people = try await LoggedInClient.make(
                sandbox,
                root: fixture.logged.profile.url.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent(),
                time: time)
            for _ in 0..<300 { _ = try await people.client.currentUser() }
            let start = try await sandbox.now()
            try await SyncDaemon(engine: fixture.engine, time: time).run(until: start.addingTimeInterval(3600 - 2))
            let counters = try await sandbox.adminJSON("requests")
            let polls = counters["by_endpoint"]?.objectValue?.int("GET /api/appointments") ?? 0
            let patients = counters["by_endpoint"]?.objectValue?.int("GET /api/patients") ?? 0
            let charges = counters["by_endpoint"]?.objectValue?.int("GET /api/line_items") ?? 0
            #expect(counters["by_status"]?.objectValue?["429"] == nil)
            #expect((counters.int("total") ?? 0) <= BudgetPolicy().ceiling(for: .background), "\(counters.int("total") ?? 0) in the hour")
            #expect(polls >= 60, "today's schedule still checked about once a minute: \(polls) polls")
            #expect(patients >= 10, "the patients kept fresh too: \(patients) patient polls")
            #expect(charges < 6, "the rest slowed down: \(charges) line-item polls")
        }
    }
}
