import DrChronoAPI
import Foundation

/// One sandbox clock for several processes-in-a-test (consoles, daemons), each waiting
/// on it as on the wall clock: the frozen sandbox clock moves only when every one of
/// them is asleep, and then straight to the earliest wake-up. While any is working
/// (sending a request, writing the mirror) time stands still, so an hour of several
/// syncs runs in seconds and each sees the hour it would have seen in real time.
///
/// Every participant must wait only through ``time`` and call ``leave()`` when it is
/// done; one that waited on something else would stop the clock.
public actor SharedClock {
    let sandbox: RunningSandbox
    var participants: Int
    var current: Date
    var sleepers: [(wake: Date, id: UUID, continuation: CheckedContinuation<Void, Never>)] = []
    var stepping = false

    /// `participants` processes sharing the frozen clock of `sandbox`, which reads `now`.
    public init(_ sandbox: RunningSandbox, participants: Int, now: Date) {
        self.sandbox = sandbox
        self.participants = participants
        current = now
    }

    /// What each participant gives its client, engine and daemon as their time.
    public nonisolated var time: any TimeSource { Participant(clock: self) }

    /// A participant is done: the others' time no longer waits for it.
    public func leave() async {
        participants -= 1
        await step()
    }

    func now() -> Date { current }

    func sleep(seconds: TimeInterval) async {
        guard seconds > 0 else { return }
        let wake = current.addingTimeInterval(seconds)
        await withCheckedContinuation { continuation in
            sleepers.append((wake, UUID(), continuation))
            Task { await self.step() }
        }
    }

    /// When everyone sleeps: the clock to the earliest wake-up, and those due wake.
    func step() async {
        guard !stepping, !sleepers.isEmpty, sleepers.count >= participants else { return }
        stepping = true
        let next = sleepers.map(\.wake).min()!
        if next > current {
            try? await sandbox.advanceClock(by: next.timeIntervalSince(current))
            current = next
        }
        let due = sleepers.filter { $0.wake <= current }
        sleepers.removeAll { $0.wake <= current }
        stepping = false
        for sleeper in due { sleeper.continuation.resume() }
    }

    struct Participant: TimeSource {
        let clock: SharedClock
        func now() async -> Date { await clock.now() }
        func sleep(seconds: TimeInterval) async throws { await clock.sleep(seconds: seconds) }
    }
}
