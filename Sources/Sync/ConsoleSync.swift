import DrChronoAPI
import Foundation
import Mirror

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

    let engine: SyncEngine
    let pusher: OutboxPusher
    let client: DrChronoClient
    let mirror: MirrorDatabase
    let holder: String
    let time: any TimeSource

    public init(
        engine: SyncEngine, pusher: OutboxPusher, client: DrChronoClient, mirror: MirrorDatabase, holder: String = SyncLease.newHolder(),
        time: any TimeSource = SystemTime()
    ) {
        (self.engine, self.pusher, self.client, self.mirror, self.holder) = (engine, pusher, client, mirror, holder)
        self.time = time
    }

    /// Runs until cancelled (or until `end`, for tests): catches up (a first load keeps
    /// the lease renewed), then keeps the mirror fresh at the daemon's pace while the
    /// lease is held.
    public func run(until end: Date? = nil, tell: @escaping @Sendable (News) -> Void) async {
        if let keeper = await LeaseKeeper.take(mirror, holder: holder) {
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
        } else {
            tell(.standingBy)
        }
        let pusher = self.pusher
        let mirror = self.mirror
        let daemon = SyncDaemon(
            engine: engine, time: time, lease: mirror, holder: holder, beforePass: { _ = try? await pusher.push() })
        let holder = self
        try? await daemon.run(
            until: end, onPass: { _ in tell(.synced) }, onFailure: { error in tell(holder.news(after: error)) },
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
    public func passNow(tell: @escaping @Sendable (News) -> Void) async {
        tell(.working("syncing…"))
        // Retries against an unreachable DrChrono take a while to give up; the person
        // hears about it as soon as a pass is clearly not going through.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(6))
            tell(.retrying)
        }
        defer { watchdog.cancel() }
        guard let keeper = await LeaseKeeper.take(mirror, holder: holder) else {
            tell(.standingBy)
            return
        }
        _ = try? await pusher.push()
        do {
            _ = try await engine.pass()
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
