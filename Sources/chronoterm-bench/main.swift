import CodeSets
import DrChronoAPI
import DrChronoSandbox
import Foundation
import GRDB
// chronoterm-bench: measures the mirror and the sync engine against an in-process
// sandbox. Run by `make bench`; results go in BENCHMARKS.md.
//
//   swift run -c release chronoterm-bench [small|practice|large]
//   swift run -c release chronoterm-bench day [practice|large]   (a clinic day of --activity day)
//   swift run -c release chronoterm-bench load [practice|large]  (a first load at 500 requests an hour)
//   swift run -c release chronoterm-bench codes                  (the ICD-10-CM lookup, keystroke by keystroke)
//   swift run -c release chronoterm-bench export [practice|large] (the change stream's cost, the warehouse's load)
//   swift run -c release chronoterm-bench consoles [practice|large] [N…]
//       (N idle consoles on one profile with its sync daemon, the practice at work: CPU and memory)
//   swift run -c release chronoterm-bench console [practice|large] [MIRROR]
//       (the console's keys alone, on a mirror loaded once and kept in MIRROR,
//        /tmp/chronoterm-bench-SIZE.sqlite unless given: for measuring a change again quickly)
import Measurements
import Mirror
import Sync

func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

// What it runs, said before anything is loaded: a word it does not know is not taken
// for "practice" (a mistyped run took minutes and measured the wrong thing).
let benchUsage = """
    usage: chronoterm-bench [small|practice|large]          the mirror, sync and console against a fresh sandbox
           chronoterm-bench day [practice|large]            a clinic day of --activity day, polling and with webhooks
           chronoterm-bench load [practice|large]           a first load at 500 requests an hour
           chronoterm-bench codes                           the ICD-10-CM lookup, keystroke by keystroke
           chronoterm-bench export [practice|large]         the change stream's cost, the warehouse's load
           chronoterm-bench consoles [practice|large] [N…]  N idle consoles on one profile at work: CPU and memory
           chronoterm-bench console [practice|large] [MIRROR]  the console's keys on a mirror kept in MIRROR
    Build with `make release` first (the release build as `make bench` links it); results go in BENCHMARKS.md.
    """
let benchCommands: Set<String> = ["day", "load", "codes", "export", "consoles", "console"]
let benchSizes = Set(PracticeSize.allCases.map(\.rawValue))
if let first = CommandLine.arguments.dropFirst().first, !benchCommands.contains(first), !benchSizes.contains(first) {
    if first == "--help" || first == "-h" {
        print(benchUsage)
        exit(0)
    }
    say("chronoterm-bench: unknown \"\(first)\"\n" + benchUsage)
    exit(2)
}

// A first load at DrChrono's real 500 an hour, on the sandbox clock.
if CommandLine.arguments.dropFirst().first == "load" {
    let size = PracticeSize(rawValue: CommandLine.arguments.dropFirst(2).first ?? "large") ?? .large
    say("loading the \(size.rawValue) practice at 500 requests an hour…")
    let started = ContinuousClock.now
    let load = try await BudgetedLoad.run(size: size)
    print(
        "budgeted load (\(size.rawValue)): \(load.rows) rows, \(load.requests) requests, \(load.throttled) × 429, "
            + String(format: "%.1f", load.hours)
            + " hours of the budget; \(load.parts.count) parts: \(load.parts.joined(separator: ", ")); "
            + "\(Int((ContinuousClock.now - started).components.seconds)) s of real time")
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "consoles" {
    let size = PracticeSize(rawValue: CommandLine.arguments.dropFirst(2).first ?? "practice") ?? .practice
    let counts = CommandLine.arguments.dropFirst(3).compactMap { Int($0) }
    try await ConsolesBench.run(size: size, counts: counts.isEmpty ? [6] : counts)
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "console" {
    let size = PracticeSize(rawValue: CommandLine.arguments.dropFirst(2).first ?? "large") ?? .large
    let path = CommandLine.arguments.dropFirst(3).first ?? "/tmp/chronoterm-bench-\(size.rawValue).sqlite"
    let mirror = try await KeptMirror.open(size: size, at: path)
    let (busiestDay, names) = try KeptMirror.busiestDayAndNames(mirror)
    try ConsoleBench.run(mirror: mirror, busiestDay: busiestDay, names: names, percentiles: Percentiles.text)
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "export" {
    try await ExportBench.run(size: PracticeSize(rawValue: CommandLine.arguments.dropFirst(2).first ?? "large") ?? .large)
    exit(0)
}

// The diagnosis lookup as a biller types: the list's first read, then a search at every
// keystroke of phrases and codes a biller types.
if CommandLine.arguments.dropFirst().first == "codes" {
    func residentMB() -> Double {
        let fields = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8))?.split(separator: " ") ?? []
        return fields.count > 1 ? Double(fields[1])! * 4096 / 1_048_576 : 0
    }
    let before = residentMB()
    var started = ContinuousClock.now
    let list = try DiagnosisCodeList.shipped()
    let memory = residentMB() - before
    let loading = ContinuousClock.now - started
    let typed = [
        "essential hypertension", "type 2 diabetes without complications", "acute otitis media left ear", "low back pain",
        "hyperlipidemia", "major depressive disorder single episode", "fracture lower end right radius initial",
        "encounter for general adult medical exam", "chronic obstructive pulmonary disease", "urinary tract infection",
        "e11.9", "s52.501a", "z00.00", "j06.9", "m54.50",
    ]
    var samples: [Double] = []
    var worst = ("", 0.0)
    for phrase in typed {
        for end in 3...phrase.count {
            let prefix = String(phrase.prefix(end))
            started = ContinuousClock.now
            let found = list.search(prefix, limit: 8)
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            samples.append(seconds)
            if seconds > worst.1 { worst = ("\(prefix) (\(found.count) shown)", seconds) }
        }
    }
    let sorted = samples.sorted()
    func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
    print(
        "\(list.edition), \(list.count) codes: first read "
            + String(format: "%.0f ms", Double(loading.components.attoseconds) / 1e15 + Double(loading.components.seconds) * 1000)
            + String(format: " (+%.0f MB resident)", memory)
            + String(
                format: "; a search per keystroke p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d searches; slowest: ", at(0.5), at(0.99),
                sorted.last! * 1000, sorted.count)
            + worst.0 + ")")
    exit(0)
}

// A whole clinic day (7 am to 7 pm) on the sandbox clock, polling and then with
// webhooks: the hour-by-hour tables of BENCHMARKS.md. `day SIZE offices`: a practice
// that does not share patients, read through a login per doctor.
if CommandLine.arguments.dropFirst().first == "day" {
    let size = PracticeSize(rawValue: CommandLine.arguments.dropFirst(2).first ?? "practice") ?? .practice
    let offices = CommandLine.arguments.dropFirst(3).first == "offices"
    for webhooks in [false, true] {
        say(
            "a clinic day of the \(size.rawValue) practice, \(webhooks ? "with webhooks" : "polling")\(offices ? ", a login per doctor" : "")…"
        )
        let started = ContinuousClock.now
        // A large practice's load takes hours of DrChrono's budget: start it at 1 am.
        let day = try await ClinicDay.run(webhooks: webhooks, size: size, loadHours: size == .large ? 6 : 1, offices: offices)
        print(day.table(title: "\(size.rawValue), \(webhooks ? "webhooks" : "polling")\(offices ? ", a login per doctor" : "")"))
        print(
            "today's schedule: \(day.todayChanges) changes, \(day.unserved.count) never read; reminder run: \(day.bulkRows) rows, \(day.bulkListedMoreThanOnce) paged twice; mirror differences at the end: \(day.mismatches.count); \(Int((ContinuousClock.now - started).components.seconds)) s of real time\n"
        )
    }
    exit(0)
}

let size = PracticeSize(rawValue: CommandLine.arguments.dropFirst().first ?? "practice") ?? .practice
func seconds(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

// The sandbox, and a profile logged in to it.
let practice = try await BenchPractice.start(size: size)
let (sandbox, base, root, profile, transport, client) = (
    practice.sandbox, practice.base, practice.root, practice.profile, practice.transport, practice.client
)

// The initial load.
let mirror = practice.mirror
let engine = SyncEngine(mirror: mirror, client: client, timeZone: .current)
_ = try await transport.send(HTTPRequest(method: "DELETE", url: base.appendingPathComponent("_sandbox/requests")))
say("loading the \(size.rawValue) practice…")
let loadStart = ContinuousClock.now
try await engine.load()
let loadSeconds = seconds(loadStart)
let counters = try await transport.send(HTTPRequest(url: base.appendingPathComponent("_sandbox/requests"))).json?.objectValue ?? [:]
let requests = counters.int("total") ?? 0
var rows = 0
var fewest = 0
for resource in MirrorResource.allCases {
    let count = try await mirror.pool.read { db in try MirrorQueries.count(db, resource) }
    rows += count
    // The API's minimum: a bulk list is a POST, one "In progress" poll and its pages
    // of 1,000; a paged list its pages of 250.
    fewest += resource.hasBulkList ? 2 + max(1, (count + 999) / 1000) : max(1, (count + 249) / 250)
}
// And one request per lab order of a patient seen today, 20 at most: DrChrono lists
// results by order only.
let resultReads = try await mirror.pool.read { db in
    let seen = Set(try MirrorQueries.patientsSeen(db, day: LocalDateTime(Date(), in: .current).dateString))
    return min(20, try Int.fetchAll(db, sql: "SELECT patient_id FROM lab_orders").filter(seen.contains).count)
}
fewest += resultReads
print(
    "initial load (\(size.rawValue)): \(rows) rows in \(String(format: "%.1f", loadSeconds)) s = \(Int(Double(rows) / loadSeconds)) rows/s; "
        + "\(requests) requests, fewest possible \(fewest) (+\(String(format: "%.1f", Double(requests - fewest) * 100 / Double(fewest)))%)")

// Query latency, as the screens will ask.
let percentiles = Percentiles.text
let (names, days, doctors) = try await mirror.pool.read { db in
    (
        try String.fetchAll(db, sql: "SELECT last_name || ' ' || first_name FROM patients ORDER BY random() LIMIT 300"),
        try String.fetchAll(db, sql: "SELECT DISTINCT day FROM appointments ORDER BY random() LIMIT 200"),
        try Int.fetchAll(db, sql: "SELECT id FROM doctors")
    )
}
var keystrokes: [Double] = []
for name in names {
    var typed = ""
    for character in name.prefix(8) {
        typed.append(character)
        let start = ContinuousClock.now
        _ = try await mirror.pool.read { db in try MirrorQueries.searchPatients(db, typed) }
        keystrokes.append(seconds(start))
    }
}
print("patient search as you type: " + percentiles(keystrokes))
var daySchedules: [Double] = []
for day in days {
    let start = ContinuousClock.now
    _ = try await mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: day, doctor: doctors.randomElement()) }
    daySchedules.append(seconds(start))
}
print("one doctor's day: " + percentiles(daySchedules))
var wholeDays: [Double] = []
for day in days.prefix(100) {
    let start = ContinuousClock.now
    _ = try await mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: day) }
    wholeDays.append(seconds(start))
}
print("the whole practice's day: " + percentiles(wholeDays))
let coldStart = ContinuousClock.now
let reopened = try MirrorDatabase.open(at: profile.file("mirror.sqlite").path)
_ = try await reopened.pool.read { db in try MirrorQueries.daySchedule(db, day: days[0]) }
print(String(format: "open the mirror and read a day: %.1f ms", seconds(coldStart) * 1000))
let busiestDay = try await mirror.pool.read { db in
    try String.fetchOne(db, sql: "SELECT day FROM appointments GROUP BY day ORDER BY COUNT(*) DESC LIMIT 1") ?? days[0]
}
try ConsoleBench.run(mirror: mirror, busiestDay: busiestDay, names: names, percentiles: percentiles)
try await AgentBench.run(mirror: mirror, busiestDay: busiestDay, names: names, percentiles: percentiles)
await sandbox.stop()
try? FileManager.default.removeItem(at: root)
