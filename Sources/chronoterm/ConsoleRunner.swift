import Console
import DrChronoAPI
import Foundation
import Mirror
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

    func run() async throws {
        let settings = profile.settings
        let mirror = try MirrorDatabase.open(at: profile.directory.file("mirror.sqlite").path)
        try profile.directory.checkPermissions()
        let client = try profile.client()
        let zone = try await mirror.pool.read { db in try MirrorQueries.practiceTimeZone(db) } ?? .current
        let engine = SyncEngine(mirror: mirror, client: client, timeZone: zone)
        let pusher = OutboxPusher(mirror: mirror, client: client)
        let board = SyncBoard()
        board.update { $0.budgetHourly = settings.budgetPolicy.hourly }

        // The model: role, keys, theme names.
        // Absent means front desk (as documented); a role the settings check did not know
        // could only come from a newer chronoterm, and gets the narrowest: read only.
        let known = settings.role.map { Role(rawValue: $0) != nil } ?? true
        let role = settings.role.map { Role(rawValue: $0) ?? .clinician } ?? .frontDesk
        var model = ConsoleModel(
            role: role, writes: role.writes(allowed: known && settings.allowWrites == true), now: LocalDateTime(Date(), in: zone))
        model.status.profile = label
        if let date, let day = try? DateExpression(date).resolve(today: model.now) {
            model.schedule.go(to: day)
            model.billing.day = day
        }
        model.themeNames = Theme.available()
        var startMessages: [String] = []
        let keysFile = KeyMap.userFile()
        if let data = FileManager.default.contents(atPath: keysFile.path) {
            do { model.keyMap = try KeyMap.load(String(decoding: data, as: UTF8.self), name: keysFile.path) } catch {
                startMessages.append("\(error) — using the default keys.")
            }
        }
        let minutes = lockAfterMinutes ?? settings.lockAfterMinutes ?? 5
        model.lockAfter = minutes > 0 ? minutes * 60 : nil
        let sealedWithKeyFile = TokenVault.keyFileFromEnvironment() != nil
        model.lockOnlyQuits = sealedWithKeyFile
        let colour = (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let wantedTheme = themeName ?? settings.theme ?? "dark"
        var theme = Theme.builtIn
        do { theme = try Theme.load(named: wantedTheme) } catch { startMessages.append("\(error) — using plain attributes.") }

        let holder = SyncLease.newHolder()
        let syncing = Task {
            await Self.keepInSync(engine: engine, pusher: pusher, client: client, mirror: mirror, holder: holder, board: board)
        }
        let budgetWatch = Task {
            while !Task.isCancelled {
                let left = await client.budgetRemaining()
                board.update { $0.budgetLeft = left }
                try? await Task.sleep(for: .seconds(10))
            }
        }
        defer { syncing.cancel(); budgetWatch.cancel() }

        let log = StandardErrorRedirect(to: profile.directory.file("console.log").path)
        defer { log.restore() }
        if let first = startMessages.first { model.say(first, error: true, seconds: 15) }
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
                session.onSyncNow = {
                    Task { await Self.passNow(engine: engine, pusher: pusher, mirror: mirror, holder: holder, board: board) }
                }
                session.onFetchChart = { patient in Task { try? await engine.loadChart(patient: patient) } }
                session.onQueued = { Task { _ = try? await pusher.push() } }
                let directory = profile.directory
                session.onUnlock = { typed in
                    if sealedWithKeyFile { return .quit }
                    // The passphrase is right if it opens the profile's vault.
                    return (try? TokenVault(directory: directory, keySource: .passphrase(typed)).load()) != nil ? .unlocked : .wrong
                }
                session.onTheme = { name in
                    do {
                        screen.apply(try Theme.load(named: name), colour: colour)
                        return nil
                    } catch {
                        return "\(error)"
                    }
                }
                session.receive(board.news)
                session.start()
                let ending = ConsoleLoop.run(session, on: screen) { session in
                    let news = board.news
                    if news != session.model.status.news { session.receive(news) }
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
        _ = try? await mirror.pool.write { db in try AuditCheckpoint.verifyAndAdvance(db, in: directory, loggedIn: true) }
    }

    /// Loads the practice if this mirror is new, then keeps it fresh and pushes the
    /// queue — while this process holds the lease. Otherwise it stands by and sends
    /// nothing: the holder (a `sync --daemon`, another console) keeps the mirror fresh.
    static func keepInSync(
        engine: SyncEngine, pusher: OutboxPusher, client: DrChronoClient, mirror: MirrorDatabase, holder: String, board: SyncBoard
    ) async {
        if let keeper = await LeaseKeeper.take(mirror, holder: holder) {
            // A long first load keeps the lease, or a `sync --daemon` could start one too.
            do {
                if let user = try? await client.currentUser() { board.update { $0.user = user.username } }
                _ = try await engine.ensureEpoch()
                if try await engine.isLoaded() == false {
                    try await engine.load { progress in
                        board.update { $0.sync = .working("loading \(progress.job) (\(progress.jobsDone + 1)/\(progress.jobsTotal))") }
                    }
                } else {
                    _ = try? await pusher.push()
                    _ = try await engine.pass()
                }
                board.update { ($0.sync, $0.lastSync) = (.idle, Date()) }
            } catch {
                board.update { $0.sync = Self.syncState(after: error, mirror: mirror) }
            }
            await keeper.stop(release: false)
        } else {
            board.update { $0.sync = .elsewhere }
        }
        let daemon = SyncDaemon(
            engine: engine, time: SystemTime(), lease: mirror, holder: holder, beforePass: { _ = try? await pusher.push() })
        try? await daemon.run(
            onPass: { _ in board.update { ($0.sync, $0.lastSync) = (.idle, Date()) } },
            onFailure: { error in board.update { $0.sync = Self.syncState(after: error, mirror: mirror) } },
            onStandby: { board.update { $0.sync = .elsewhere } })
    }

    /// `:sync`: the queue goes out at once (a person's writes), and a pass runs if this
    /// console holds the lease; if another process holds it, that one keeps the mirror
    /// fresh and nothing more is sent from here.
    static func passNow(engine: SyncEngine, pusher: OutboxPusher, mirror: MirrorDatabase, holder: String, board: SyncBoard) async {
        board.update { $0.sync = .working("syncing…") }
        // Retries against an unreachable DrChrono take a while to give up; the person
        // hears about it as soon as a pass is clearly not going through.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(6))
            board.update { $0.sync = .offline("DrChrono unreachable, retrying") }
        }
        defer { watchdog.cancel() }
        _ = try? await pusher.push()
        guard let keeper = await LeaseKeeper.take(mirror, holder: holder) else {
            board.update { $0.sync = .elsewhere }
            return
        }
        defer { Task { await keeper.stop(release: false) } }
        do {
            _ = try await engine.pass()
            board.update { ($0.sync, $0.lastSync) = (.idle, Date()) }
        } catch {
            board.update { $0.sync = Self.syncState(after: error, mirror: mirror) }
        }
    }

    /// What the status bar says after a pass failed: offline when DrChrono could not be
    /// reached; "not saving" when the mirror could not be written (DrChrono may well be
    /// reachable, so "writes wait" would not be true).
    static func syncState(after error: any Error, mirror: MirrorDatabase) -> StatusInfo.Sync {
        if let error = error as? APIError { return .offline(offlineReason(error)) }
        return .cannotSave(MirrorProblem(error, path: mirror.path).banner)
    }

    /// The banner's few words.
    static func offlineReason(_ error: APIError) -> String {
        switch error {
        case .loginRequired: "signed out: run chronoterm login"
        case .budgetExhausted: "the hour's requests are used up"
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
