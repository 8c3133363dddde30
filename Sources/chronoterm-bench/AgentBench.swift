import AgentDesk
import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Practice

/// The MCP server's read tools, timed inside the server (the tool's call, from the
/// arguments to the answer as JSON), as an agent asks them on the practice's copy.
enum AgentBench {
    static func run(mirror: MirrorDatabase, busiestDay: String, names: [String], percentiles: ([Double]) -> String) async throws {
        let desk = AgentDesk(
            mirror: mirror, person: ActingPerson(name: "bench", role: .frontDesk), readOnly: true, zone: .current)
        let patients = try await mirror.pool.read { db in try Int.fetchAll(db, sql: "SELECT id FROM patients ORDER BY random() LIMIT 200") }
        func timed(_ tool: String, _ arguments: JSONObject) async -> Double {
            let start = ContinuousClock.now
            let answer = await desk.call(tool, arguments: arguments)
            _ = answer.text  // serialised, as it goes on the wire
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        var schedule: [Double] = []
        for _ in 0..<100 { schedule.append(await timed("schedule", ["day": .string(busiestDay)])) }
        print("mcp schedule, the busiest day (50 visits a page): " + percentiles(schedule))
        var search: [Double] = []
        for name in names.prefix(200) { search.append(await timed("search_patients", ["query": .string(String(name.prefix(5)))])) }
        print("mcp search_patients, 5 letters of a name: " + percentiles(search))
        var summary: [Double] = []
        for patient in patients { summary.append(await timed("patient_summary", ["patient": .int(patient)])) }
        print("mcp patient_summary: " + percentiles(summary))
    }
}
