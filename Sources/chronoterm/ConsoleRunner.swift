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
    /// Draw in ASCII only (`console --ascii`).
    var ascii = false
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
        let trailName = person.map { AuditTrail.Person(name: $0.name, via: via) }
        // A person of a grant reads only its side: every read of this console goes through the sight.
        let sight = try profile.sight(of: person)
        let mirror = try MirrorDatabase.open(in: profile.directory, person: trailName, sight: sight)
        // The sync and the pusher work on the whole practice (the writes of everyone on the
        // profile): a handle of their own when this console reads one side.
        let whole = sight == nil ? mirror : try MirrorDatabase.open(in: profile.directory, person: trailName)
        try profile.directory.checkPermissions()
        let client = try profile.client()
        // The trail's checkpoint moves with every entry, sealed with the profile's key.
        let seal = profile.auditSeal
        if let seal { mirror.keepAuditCheckpoint(in: profile.directory, seal: seal) }
        let zone = try await mirror.pool.read { db in try MirrorQueries.practiceTimeZone(db) } ?? .current
        let engine = profile.mirrorKeeper(mirror: whole, client: client, timeZone: zone)
        let profile = self.profile
        // One holder for this console's sync and its pusher: a write leaves only while it holds the lease.
        let holder = SyncLease.newHolder()
        let pusher = OutboxPusher(mirror: whole, client: client, holder: holder, writer: { name in profile.writer(forPerson: name) })
        // The model: role, keys, theme names.
        let (role, writes) = Role.resolve(person: person?.role, profile: settings.role, allowWrites: settings.allowWrites == true)
        var model = ConsoleModel(role: role, writes: writes, now: LocalDateTime(Date(), in: zone))
        model.status.budgetHourly = settings.budgetPolicy.hourly
        model.status.sync = .working("starting sync…")
        model.status.profile = label
        model.person = person?.name
        model.doctorsSeen = sight?.doctors
        model.folders = PersonFolders(
            documents: settings.documentsFolder.map(PersonFolder.init(path:)), inbox: settings.inboxFolder.map(PersonFolder.init(path:)))
        if let person, let first = person.doctors.isEmpty ? sight?.doctors.sorted() : person.doctors, !first.isEmpty {
            // Their own doctors' columns first (their grant's, unless named), and the day is where they open.
            model.schedule.preferredDoctors = first
            model.pane = .schedule
            model.schedule.weekDoctor = first.first
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

        let sync = ConsoleSync(
            engine: engine, pusher: pusher, client: client, mirror: whole, holder: holder, eventRetentionDays: settings.eventRetention)
        if let first = startMessages.first { model.say(first, error: true, seconds: 15) }
        // The console's inbox: everything below talks to the console through it.
        let inbox = ConsoleInbox()
        let tell: @Sendable (ConsoleSync.News) -> Void = { news in inbox.post(.result(.syncUpdate(Self.update(news, zone: zone)))) }
        let syncing = Task { await sync.run(tell: tell) }
        // The hour's requests and the schedule's age, read every few seconds (kept by
        // whichever process of the profile syncs, this one or another), told when they move.
        let budgetWatch = Task {
            var told: (Int?, Date?)? = nil
            while !Task.isCancelled {
                let left = await client.budgetRemaining()
                let asOf = (try? await mirror.pool.read { db in try MirrorQueries.scheduleCheckedAt(db) }) ?? nil
                if told.map({ $0 != left || $1 != asOf }) ?? true {
                    inbox.post(.result(.syncUpdate(.budget(left: left, hourly: nil))))
                    inbox.post(.result(.syncUpdate(.scheduleAsOf(asOf))))
                    told = (left, asOf)
                }
                try? await Task.sleep(for: .seconds(5))
            }
        }
        // A person removed from the practice (or whose key was), or mapped to another grant
        // (what they may see changed), loses the console within seconds: the registry is
        // looked at every two, and read again when it changed.
        let (registry, directory) = (profile.directory, profile.directory)
        let keyFingerprint = key
        let grantOpened = person?.grant
        let registryWatch = Task {
            guard let name = person?.name else { return }
            let path = registry.file(PracticePeople.fileName).path
            var checked: FileStamp?
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                let stamp = FileStamp(path: path)
                if let checked, checked == stamp { continue }
                // A registry that cannot be read now (being restored) closes no one.
                guard let people = try? PracticePeople.load(from: registry) else { continue }
                checked = stamp
                let admitted = people.admitted(name, key: keyFingerprint)
                if admitted == nil || admitted?.grant != grantOpened {
                    inbox.post(.result(.personRemoved))
                    return
                }
            }
        }
        defer { syncing.cancel(); budgetWatch.cancel(); registryWatch.cancel() }
        if person != nil { _ = try? await mirror.pool.write { db in try AuditTrail.record(AuditTrail.Event(.sessionStart), in: db) } }
        defer {
            if person != nil { _ = try? mirror.pool.write { db in try AuditTrail.record(AuditTrail.Event(.sessionEnd), in: db) } }
        }

        let log = StandardErrorRedirect(to: profile.directory.file("console.log").path)
        defer { log.restore() }
        let documents = DocumentFetch(client: client, profile: profile.directory)
        documents.sweep()
        defer { documents.clear() }
        let themes = ThemeSwitch(colour: colour)
        let lockKey: LockKey = person != nil ? .person(personal) : sealedWithKeyFile ? .keyFile : .vault(directory)
        let services = ConsoleServices(
            syncNow: { Task { await sync.passNow(tell: tell) } },
            fetchChart: { patient in Task { try? await engine.loadChart(patient: patient) } },
            openDocument: { document in Task { inbox.post(.result(.documentRead(await documents.read(document)))) } },
            pushQueue: { Task { await sync.pushNow() } },
            useTheme: { name in
                let problem = themes.choose(name)
                if problem == nil, let who = person?.name { PracticePeople.remember(theme: name, for: who, in: directory) }
                return problem
            },
            unlock: { typed in lockKey.answer(typed) })
        let (themeValue, firstModel) = (theme, model)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                let screen = NcursesScreen(theme: themeValue, colour: colour, mouse: mouse, ascii: ascii)
                guard let session = try? ConsoleSession(model: firstModel, mirror: mirror, timeZone: zone, inbox: inbox, work: .background)
                else {
                    screen.stop(); done.resume(); return
                }
                session.services = services
                session.start()
                let ending = ConsoleLoop.run(
                    session, on: screen, wake: FolderWatch(folder: directory.url.path, names: Self.wakingFiles), themes: themes)
                // The terminal is given back before anything else happens: the process
                // may exit as soon as `done` resumes.
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
        _ = try? await mirror.pool.write { db in try AuditCheckpoint.verifyAndAdvance(db, in: directory, loggedIn: true, seal: seal) }
    }

    /// The profile's files whose changes wake an idle console: the mirror (its
    /// write-ahead log and, after a checkpoint, the file). The people registry is looked
    /// at every two seconds by a task of its own; the budget, rewritten at each request,
    /// is read every five.
    static let wakingFiles: Set<String> = ["mirror.sqlite-wal", "mirror.sqlite"]

    /// The sync side's news, as the console's status bar takes it.
    static func update(_ news: ConsoleSync.News, zone: TimeZone) -> SyncUpdate {
        switch news {
        case .user(let name): .user(name)
        case .working(let what): .state(.working(what))
        case .synced: .state(.idle, synced: Date())
        case .standingBy: .state(.elsewhere)
        case .offline(let error): .state(.offline(because: error, zone: zone))
        // DrChrono may well be reachable: "writes wait" would not be true.
        case .cannotSave(let problem): .state(.cannotSave(problem.banner))
        case .retrying: .state(.offline("DrChrono unreachable, retrying"))
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
