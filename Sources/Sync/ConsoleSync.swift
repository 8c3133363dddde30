import DrChronoAPI
import Foundation
import Mirror
import Synchronization

/// The sync a console runs beside it: it catches the mirror up, keeps it fresh and
/// pushes the queue while this process holds the profile's lease, and otherwise stands
/// by, sending nothing — the holder (a `sync --daemon`, another console) keeps the
/// mirror fresh. What it does is told as ``News`` for the status bar.
public struct ConsoleSync: Sendable {
    /// What the status bar hears.
    public enum News: Sendable {
        /// The DrChrono user this profile is logged in as.
        case user(String)
        /// Work under way, in a few words ("loading patients (3/9)", "syncing…").
        case working(String)
        /// The mirror is up to date as of now.
        case synced
        /// Another process holds the lease and keeps the mirror fresh.
        case standingBy
        /// DrChrono could not be reached, or refused: the reason.
        case offline(APIError)
        /// DrChrono may be reachable, but the mirror cannot be written (a full disk).
        case cannotSave(MirrorProblem)
        /// A pass is taking long: DrChrono is probably unreachable and being retried.
        case retrying
    }

    let engine: any MirrorKeeper
    let pusher: OutboxPusher
    let client: DrChronoClient
    let mirror: MirrorDatabase
    let holder: String
    let time: any TimeSource
    /// This console's manual passes: one at a time, spaced.
    let manual = ManualPasses()
    /// The least time between two passes a person asks for.
    public static let manualGap: TimeInterval = 30
    /// Days the mirror's change events are kept (the profile's `event_retention_days`).
    let eventRetentionDays: Int

    public init(
        engine: any MirrorKeeper, pusher: OutboxPusher, client: DrChronoClient, mirror: MirrorDatabase,
        holder: String = SyncLease.newHolder(),
        time: any TimeSource = SystemTime(), eventRetentionDays: Int = 30
    ) {
        (self.engine, self.pusher, self.client, self.mirror, self.holder) = (engine, pusher, client, mirror, holder)
        (self.time, self.eventRetentionDays) = (time, eventRetentionDays)
    }

    /// Runs until cancelled (or until `end`, for tests): catches up (a first load keeps
    /// the lease renewed), then keeps the mirror fresh at the daemon's pace while the
    /// lease is held.
    public func run(until end: Date? = nil, tell: @escaping @Sendable (News) -> Void) async {
        var taken: LeaseKeeper?
        var failed = false
        do { taken = try await LeaseKeeper.take(mirror, holder: holder) } catch {
            // Not another's lease: the lease could not be written (a full disk). Said as it is.
            tell(news(after: error))
            failed = true
        }
        if let keeper = taken {
            do {
                if let user = try? await client.currentUser() { tell(.user(user.username)) }
                _ = try? await pusher.push()
                _ = try await engine.catchUp { progress in
                    tell(.working("loading \(progress.job) (\(progress.jobsDone + 1)/\(progress.jobsTotal))"))
                }
                tell(.synced)
            } catch {
                tell(news(after: error))
            }
            await keeper.stop(release: false)
        } else if !failed {
            tell(.standingBy)
        }
        let pusher = self.pusher
        let mirror = self.mirror
        var daemon = SyncDaemon(
            engine: engine, time: time, lease: mirror, holder: holder, beforePass: { _ = try? await pusher.push() })
        daemon.eventRetentionDays = eventRetentionDays
        let holder = self
        let manual = self.manual
        try? await daemon.run(
            until: end,
            onPass: { _ in
                manual.passed(at: Date())
                tell(.synced)
            }, onFailure: { error in tell(holder.news(after: error)) },
            onStandby: { tell(.standingBy) })
    }

    /// A write was just queued: it goes out now if this console holds the lease. If
    /// another process holds it, that one sends the queue (at most a few seconds later):
    /// two processes pushing one queue could both send an entry.
    public func pushNow() async {
        let holder = self.holder
        guard (try? await mirror.pool.read({ db in try SyncLease.isHeld(db, by: holder, now: Date()) })) == true else { return }
        _ = try? await pusher.push()
    }

    /// `:sync`: if this console holds the lease (or can take it), the queue goes out and a
    /// pass runs; if another process holds it, that one keeps the mirror fresh and nothing
    /// more is sent from here.
    ///
    /// Bounded, whoever presses it: one at a time, never within ``manualGap`` of the
    /// last pass, only today's schedule (a request or two), and never from the hour's
    /// last share — then it says until when the hour is spent.
    public func passNow(tell: @escaping @Sendable (News) -> Void) async {
        guard manual.begin(now: Date(), gap: ConsoleSync.manualGap) else { return }
        defer { manual.end(now: Date()) }
        let (spent, policy) = await client.budgetSpent()
        if spent >= policy.ceiling(for: .background) {
            let now = Date().timeIntervalSince1970
            tell(.offline(.budgetExhausted(resetsAt: Date(timeIntervalSince1970: (now / 3600).rounded(.down) * 3600 + 3600))))
            return
        }
        tell(.working("syncing…"))
        // Retries against an unreachable DrChrono take a while to give up; the person
        // hears about it as soon as a pass is clearly not going through.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(6))
            tell(.retrying)
        }
        defer { watchdog.cancel() }
        let keeper: LeaseKeeper
        do {
            guard let taken = try await LeaseKeeper.take(mirror, holder: holder) else {
                tell(.standingBy)
                return
            }
            keeper = taken
        } catch {
            tell(news(after: error))
            return
        }
        _ = try? await pusher.push()
        do {
            _ = try await engine.pass([.appointments])
            tell(.synced)
        } catch {
            tell(news(after: error))
        }
        await keeper.stop(release: false)
    }

    /// Why a pass failed, as news: DrChrono's refusal or absence, or the mirror that
    /// could not be written.
    func news(after error: any Error) -> News {
        if let error = error as? APIError { return .offline(error) }
        return .cannotSave(MirrorProblem(error, path: mirror.path))
    }
}

/// A person's `:sync` presses: the one under way, and when the last pass ended.
final class ManualPasses: Sendable {
    private struct State {
        var running = false
        var lastPass: Date?
    }
    private let state = Mutex(State())

    /// Starts one unless one runs, or a pass ended less than `gap` ago.
    func begin(now: Date, gap: TimeInterval) -> Bool {
        state.withLock { state in
            if state.running { return false }
            if let last = state.lastPass, now.timeIntervalSince(last) < gap { return false }
            state.running = true
            return true
        }
    }

    func end(now: Date) { state.withLock { ($0.running, $0.lastPass) = (false, now) } }

    func passed(at date: Date) { state.withLock { $0.lastPass = date } }
}
