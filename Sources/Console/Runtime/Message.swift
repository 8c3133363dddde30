import DrChronoAPI
import Foundation
import Practice

/// Everything that can change the console, as one value: a key, the window, time, the
/// mirror moving, and every effect's result. ``ConsoleModel/update(_:)`` takes them one
/// at a time, on one thread, from one inbox (``ConsoleInbox``) — as Bubble Tea's `Msg`.
public enum Message: Sendable {
    /// The console opens: everything the panes show is read.
    case start
    /// A key, pressed at a moment (the idle lock counts from it).
    case key(Key, at: Date)
    /// The window changed size (and once at the start).
    case resize(width: Int, height: Int)
    /// Time passes: the wall clock and the practice's local time.
    case tick(clock: Date, now: LocalDateTime)
    /// Another connection — this console's own write, the sync, another person —
    /// committed to the mirror: what is on screen is read again, once.
    case mirrorChanged
    /// An effect's result, or news from the sync side.
    case result(EffectResult)
}

extension ConsoleModel {
    /// The one update function: a message in, the model changed, effects out (each
    /// carrying its parameters). Nothing else changes what the console shows.
    public mutating func update(_ message: Message) -> [Effect] {
        let effects: [Effect]
        changedNothing = false
        switch message {
        case .start: effects = start()
        case .key(let key, let date): effects = press(key, at: date)
        case .resize(let width, let height): effects = resize(width: width, height: height)
        case .tick(let clock, let now): effects = tick(clock: clock, now: now)
        case .mirrorChanged:
            schedule.practiceStale = true
            // What is on screen is read now; the other panes when they are shown. An idle
            // console hears of every commit of the practice's day: reading four panes for
            // each is what kept it busy.
            let shown = Dataset.allCases.filter { $0.isShown(on: pane) }
            staleDatasets.formUnion(Dataset.allCases.filter { !shown.contains($0) })
            effects = shown.map { .reload($0) }
            // Nothing on screen moved yet: the reads' results say whether it does.
            changedNothing = true
        case .result(let result): effects = handle(result)
        }
        return resolved(effects + readsOfStalePane())
    }

    /// The datasets of the pane now shown that a commit made stale while it was hidden.
    mutating func readsOfStalePane() -> [Effect] {
        let due = staleDatasets.filter { $0.isShown(on: pane) }
        guard !due.isEmpty else { return [] }
        staleDatasets.subtract(due)
        return Dataset.allCases.filter(due.contains).map { .reload($0) }
    }

    /// The effects as the runtime performs them: each pane's reload once, as a read with
    /// the parameters the model has now (a list that is not open reads nothing).
    func resolved(_ effects: [Effect]) -> [Effect] {
        var reloads: [Dataset] = []
        var rest: [Effect] = []
        for effect in effects {
            if case .reload(let dataset) = effect {
                if !reloads.contains(dataset) { reloads.append(dataset) }
            } else {
                rest.append(effect)
            }
        }
        return reloads.compactMap { read(for: $0).map(Effect.read) } + rest
    }

    /// Who a write is for, as the practice's desk takes it.
    var writeContext: WriteContext {
        WriteContext(
            actor: ActingPerson(name: person, role: role, writes: writes, doctors: doctorsSeen), now: now,
            takenBy: person ?? (status.user.isEmpty ? nil : status.user))
    }

    /// A checked write, for the practice to queue.
    func queue(_ write: ConsoleWrite) -> Effect { .queue(write, by: writeContext) }
}
