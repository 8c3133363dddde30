import Console
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Sync
import Terminal

/// Opens the console on a logged-in profile: the mirror, the sync engine and write-queue
/// pusher in the background (while this process holds the sync lease), and the screen
/// on a thread of its own.
struct ConsoleRunner {
    var profile: Profile
    var themeName: String?
    var mouse = false
    /// Shown in the status bar instead of the profile's name (the demo says "demo").
    var label: String
    /// The day the schedule opens on, as typed (`T+1`, `12/3`); today when nil.
    var date: String? = nil
    /// Overrides the profile's idle time before the screen locks (the demo's option).
    var lockAfterMinutes: Double? = nil
    /// The person of the practice at this console (`console --person`), and how they came.
    var person: PracticePeople.Person? = nil
    var via: String? = nil
    /// The fingerprint of the SSH key they came with: removing that key closes the console.
    var key: String? = nil

    func run() async throws {
        let settings = profile.settings
        let mirror = try MirrorDatabase.open(in: profile.directory, person: person.map { AuditTrail.Person(name: $0.name, via: via) })
        try profile.directory.checkPermissions()
        let client = try profile.client()
        // The trail's checkpoint moves with every entry, sealed with the profile's key.
        let seal = profile.auditSeal
        if let seal { mirror.keepAuditCheckpoint(in: profile.directory, seal: seal) }
        let zone = try await mirror.pool.read { db in try MirrorQueries.practiceTimeZone(db) } ?? .current
        let engine = SyncEngine(mirror: mirror, client: client, timeZone: zone)
        let profile = self.profile
        // One holder for this console's sync and its pusher: a write leaves only while it holds the lease.
        let holder = SyncLease.newHolder()
        let pusher = OutboxPusher(mirror: mirror, client: client, holder: holder, writer: { name in try? profile.client(forPerson: name) })
        let board = SyncBoard()
        board.update { $0.budgetHourly = settings.budgetPolicy.hourly }

        // The model: role, keys, theme names.
        // Absent means front desk (as documented); a role the settings check did not know
        // could only come from a newer chronoterm, and gets the narrowest: read only.
        // A person's own role comes first: the practice profile is everyone's.
        let roleName = person?.role ?? settings.role
        let known = roleName.map { Role(rawValue: $0) != nil } ?? true
        let role = roleName.map { Role(rawValue: $0) ?? .clinician } ?? .frontDesk
        var model = ConsoleModel(
            role: role, writes: role.writes(allowed: known && settings.allowWrites == true), now: LocalDateTime(Date(), in: zone))
        model.status.profile = label
        model.person = person?.name
        model.folders = PersonFolders(
            documents: settings.documentsFolder.map(PersonFolder.init(path:)), inbox: settings.inboxFolder.map(PersonFolder.init(path:)))
        if let person, !person.doctors.isEmpty {
            // Their own doctors' columns first, and the day is where they open.
            model.schedule.preferredDoctors = person.doctors
            model.pane = .schedule
            model.schedule.weekDoctor = person.doctors.first
        }
        if let date, let day = try? DateExpression(date).resolve(today: model.now) {
            model.schedule.go(to: day)
            model.billing.day = day
        }
        model.themeNames = Theme.available()
        var startMessages: [String] = []
        let keysFile = KeyMap.userFile()
        if let own = person?.keyBindings {
            // A person's own bindings, checked when the office manager gave them.
            do { model.keyMap = try KeyMap.load(own, name: "\(person!.name)'s keys") } catch {
                startMessages.append("\(error) — using the default keys.")
            }
        } else if let data = FileManager.default.contents(atPath: keysFile.path) {
            do { model.keyMap = try KeyMap.load(String(decoding: data, as: UTF8.self), name: keysFile.path) } catch {
                startMessages.append("\(error) — using the default keys.")
            }
        }
        let minutes = lockAfterMinutes ?? settings.lockAfterMinutes ?? 5
        model.lockAfter = minutes > 0 ? minutes * 60 : nil
        let sealedWithKeyFile = TokenVault.keyFileFromEnvironment() != nil
        // A person unlocks with their own passphrase; one who has none set can only quit.
        let personal = person?.passphrase
        model.lockOnlyQuits = person == nil ? sealedWithKeyFile : personal == nil
        let colour = (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let wantedTheme = themeName ?? person?.theme ?? settings.theme ?? "dark"
        var theme = Theme.builtIn
        do { theme = try Theme.load(named: wantedTheme) } catch { startMessages.append("\(error) — using plain attributes.") }

        let sync = ConsoleSync(engine: engine, pusher: pusher, client: client, mirror: mirror, holder: holder)
        let syncing = Task { await sync.run { news in Self.post(news, to: board, zone: zone) } }
        // The hour's requests and the schedule's age, read every few seconds: both are
        // kept by whichever process of the profile syncs, this one or another.
        let budgetWatch = Task {
            while !Task.isCancelled {
                let left = await client.budgetRemaining()
                let asOf = try? await mirror.pool.read { db in try MirrorQueries.scheduleCheckedAt(db) }
                board.update { ($0.budgetLeft, $0.scheduleAsOf) = (left, asOf ?? nil) }
                try? await Task.sleep(for: .seconds(5))
            }
        }
        // A person removed from the practice (or whose key was) loses the console within
        // seconds: the registry is read again every two.
        let registry = profile.directory
        let keyFingerprint = key
        let registryWatch = Task {
            guard let name = person?.name else { return }
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                // A registry that cannot be read now (being restored) closes no one.
                guard let people = try? PracticePeople.load(from: registry) else { continue }
                let current = people[name]
                let keyKept =
                    keyFingerprint.map { fingerprint in current?.keys.contains { $0.fingerprint == fingerprint } ?? false } ?? true
                if current == nil || !keyKept { board.update { $0.personRemoved = true } }
            }
        }
        defer { syncing.cancel(); budgetWatch.cancel(); registryWatch.cancel() }
        if person != nil { _ = try? await mirror.pool.write { db in try AuditTrail.record(AuditTrail.Event("session.start"), in: db) } }
        defer {
            if person != nil { _ = try? mirror.pool.write { db in try AuditTrail.record(AuditTrail.Event("session.end"), in: db) } }
        }

        let log = StandardErrorRedirect(to: profile.directory.file("console.log").path)
        defer { log.restore() }
        if let first = startMessages.first { model.say(first, error: true, seconds: 15) }
        let documents = DocumentFetch(client: client, profile: profile.directory)
        documents.sweep()
        defer { documents.clear() }
        let themeValue = theme
        let firstModel = model
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                let screen = NcursesScreen(theme: themeValue, colour: colour, mouse: mouse)
                // The terminal is given back before anything else happens: the process
                // may exit as soon as `done` resumes.
                guard let session = try? ConsoleSession(model: firstModel, mirror: mirror, timeZone: zone) else {
                    screen.stop(); done.resume(); return
                }
                session.onSyncNow = { Task { await sync.passNow { news in Self.post(news, to: board, zone: zone) } } }
                session.onFetchChart = { patient in Task { try? await engine.loadChart(patient: patient) } }
                session.onOpenDocument = { document in Task { board.post(await documents.read(document)) } }
                session.onQueued = { Task { await sync.pushNow() } }
                let directory = profile.directory
                session.onUnlock = { typed in
                    if person != nil { return personal.map { $0.matches(typed) ? .unlocked : .wrong } ?? .quit }
                    if sealedWithKeyFile { return .quit }
                    // The passphrase is right if it opens the profile's vault.
                    return (try? TokenVault(directory: directory, keySource: .passphrase(typed)).load()) != nil ? .unlocked : .wrong
                }
                session.onTheme = { name in
                    do {
                        screen.apply(try Theme.load(named: name), colour: colour)
                        // A person's choice is theirs from now on.
                        if let who = person?.name, var people = try? PracticePeople.load(from: directory), var me = people[who] {
                            me.theme = name
                            people.put(me)
                            try? people.save(to: directory)
                        }
                        return nil
                    } catch {
                        return "\(error)"
                    }
                }
                session.receive(board.news)
                session.start()
                let ending = ConsoleLoop.run(session, on: screen, wake: FolderWatch(folder: directory.url.path, names: Self.wakingFiles)) {
                    session in
                    let news = board.news
                    if news != session.model.status.news { session.receive(news) }
                    if board.snapshot.personRemoved { session.personRemoved() }
                    for reading in board.takeReadings() { session.documentRead(reading) }
                }
                screen.stop()
                if ending == .terminalLost {
                    // Standard error is console.log here; queued writes are in the mirror.
                    FileHandle.standardError.write(
                        Data("\(Date()) the terminal went away; the console closed, queued writes stay queued\n".utf8))
                }
                done.resume()
            }.start()
        }
        // The trail's checkpoint moves on with what this session recorded.
        let directory = profile.directory
        _ = try? await mirror.pool.write { db in try AuditCheckpoint.verifyAndAdvance(db, in: directory, loggedIn: true, seal: seal) }
    }

    /// The profile's files whose changes wake an idle console: the mirror (its
    /// write-ahead log and, after a checkpoint, the file). The people registry is read
    /// every two seconds by a task of its own; the budget, rewritten at each request,
    /// is read every five.
    static let wakingFiles: Set<String> = ["mirror.sqlite-wal", "mirror.sqlite"]

    /// The console's sync news, in the status bar's words.
    static func post(_ news: ConsoleSync.News, to board: SyncBoard, zone: TimeZone) {
        switch news {
        case .user(let name): board.update { $0.user = name }
        case .working(let what): board.update { $0.sync = .working(what) }
        case .synced: board.update { ($0.sync, $0.lastSync) = (.idle, Date()) }
        case .standingBy: board.update { $0.sync = .elsewhere }
        case .offline(.budgetExhausted(let resets)):
            // DrChrono is there: what is true is that the hour is spent, until the next.
            board.update { $0.sync = .hourSpent(until: LocalDateTime(resets, in: zone).clock) }
        case .offline(let error): board.update { $0.sync = .offline(offlineReason(error, zone: zone)) }
        // DrChrono may well be reachable: "writes wait" would not be true.
        case .cannotSave(let problem): board.update { $0.sync = .cannotSave(problem.banner) }
        case .retrying: board.update { $0.sync = .offline("DrChrono unreachable, retrying") }
        }
    }

    /// The banner's few words.
    static func offlineReason(_ error: APIError, zone: TimeZone) -> String {
        switch error {
        case .loginRequired: "signed out: run chronoterm login"
        // What is true: DrChrono is reachable; the practice's hour is spent until the next.
        case .budgetExhausted(let resets): "the hour's requests are spent until \(LocalDateTime(resets, in: zone).clock)"
        case .unavailable: "DrChrono unreachable"
        default: "sync failing"
        }
    }
}

/// Sends standard error to a file while the console owns the screen: a stray line
/// from a library must not scribble over the frame.
struct StandardErrorRedirect {
    private let saved: Int32

    init(to path: String) {
        saved = dup(STDERR_FILENO)
        let file = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        if file >= 0 {
            dup2(file, STDERR_FILENO)
            close(file)
        }
    }

    func restore() {
        guard saved >= 0 else { return }
        dup2(saved, STDERR_FILENO)
        close(saved)
    }
}
