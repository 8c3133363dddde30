import DrChronoAPI
import Foundation
import Mirror
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The console's runtime: it holds the model, feeds it messages from the one inbox,
/// and performs the effects the model asks for — elsewhere than the drawing thread.
///
/// As Bubble Tea's program: ``ConsoleModel/update(_:)`` is the only place the console's
/// state changes; effects carry everything they need and are performed by an
/// ``EffectRunner`` that never sees the model; each result comes back as a ``Message``
/// through ``inbox``, which the drawing thread drains between frames.
public final class ConsoleSession {
    public private(set) var model: ConsoleModel
    public let mirror: MirrorDatabase
    public let timeZone: TimeZone
    /// Where results and the sync side's news arrive, from any thread.
    public let inbox: ConsoleInbox
    /// The world beyond the mirror: the sync side, the theme, the lock.
    public var services = ConsoleServices()
    public private(set) var quitRequested = false
    /// Set when the screen must be drawn anew from nothing (Ctrl-L).
    public var redrawRequested = false
    /// Moves on each time the model may have changed: the loop draws a frame only when
    /// it moved, or the second did.
    public private(set) var revision = 0

    /// Where effects are performed.
    public enum Work: Sendable {
        /// On a queue of their own, off the drawing thread, one at a time in order: the console.
        case background
        /// On the caller's thread, each result handled before the call returns: a test
        /// that presses keys and reads the screen.
        case inline
    }

    private let work: Work
    private let queue = DispatchQueue(label: "chronoterm.console.effects", qos: .userInitiated)
    private let runner: EffectRunner
    private var draining = false
    /// Effects handed to the queue and not yet done.
    private let inFlight = InFlight()

    public init(
        model: ConsoleModel, mirror: MirrorDatabase, timeZone: TimeZone, inbox: ConsoleInbox = ConsoleInbox(), work: Work = .inline
    ) throws {
        self.model = model
        self.inbox = inbox
        self.mirror = mirror
        self.timeZone = timeZone
        self.work = work
        runner = EffectRunner(
            reader: MirrorReader(mirror: mirror, timeZone: timeZone), watch: try MirrorWatch(mirror), inbox: inbox)
    }

    /// Keys typed while effects were under way, in order: a key waits for the results
    /// of the keys before it (a list's rows, a form's facts), so typing ahead does what
    /// it would have done typed slowly.
    private var typedAhead: [Message] = []

    /// Hands a message to the model and performs what it asks.
    public func send(_ message: Message) {
        if case .key = message, work == .background, isBusy || !typedAhead.isEmpty {
            typedAhead.append(message)
            inFlight.keysWaiting.store(true, ordering: .releasing)
            return
        }
        perform(model.update(message))
        if work == .inline { drain() }
    }

    /// Takes every message waiting in the inbox through the model, in order: the drawing
    /// thread calls it before each frame. (Inline, effects posted while draining are
    /// drained in the same call: a loop, never a recursion.)
    public func drain() {
        guard !draining else { return }
        draining = true
        defer { draining = false }
        while true {
            let waiting = inbox.take()
            for message in waiting { perform(model.update(message)) }
            if !typedAhead.isEmpty, !isBusy {
                perform(model.update(typedAhead.removeFirst()))
                if typedAhead.isEmpty { inFlight.keysWaiting.store(false, ordering: .releasing) }
                continue
            }
            if waiting.isEmpty { return }
        }
    }

    // MARK: The messages a console sends

    /// Reads everything the panes show.
    public func start() { send(.start) }

    public func press(_ key: Key, at date: Date = Date()) { send(.key(key, at: date)) }

    /// The window changed size.
    public func resize(width: Int, height: Int) { send(.resize(width: width, height: height)) }

    /// News from the sync side for the status bar.
    public func receive(_ news: SyncNews) { send(.result(.sync(news))) }

    /// A document asked for was fetched and read.
    public func documentRead(_ reading: DocumentReading) { send(.result(.documentRead(reading))) }

    /// The person at this console is no longer one of the practice's people.
    public func personRemoved() { send(.result(.personRemoved)) }

    /// Reads `dataset` again for the model as it is now.
    public func reload(_ dataset: Dataset) {
        perform(model.resolved([.reload(dataset)]))
        if work == .inline { drain() }
    }

    /// Time passes: messages expire, an idle screen locks, and the mirror is asked
    /// whether it moved (its answer comes back as ``Message/mirrorChanged``).
    /// `checkMirror`: false when a watch of the profile's folder would have woken the
    /// console for a commit (the loop asks every ten seconds then, as a safety).
    public func tick(clock: Date = Date(), checkMirror: Bool = true) {
        let before = (model.message, model.locked)
        let effects = model.update(.tick(clock: clock, now: LocalDateTime(clock, in: timeZone)))
        // The clock alone moves no revision: the loop redraws the status bar when the
        // clock next changes it (``ConsoleView/nextChange(of:)`` in Terminal).
        if !effects.isEmpty || model.message != before.0 || model.locked != before.1 { perform(effects) }
        if checkMirror {
            let runner = self.runner
            run { runner.checkMirror() }
        }
        if work == .inline { drain() }
    }

    // MARK: Effects

    private func perform(_ effects: [Effect]) {
        // A read that brought what is on screen moves nothing: an idle console hears of
        // every commit of the practice's day, and need not draw for most of them.
        if !model.changedNothing { revision &+= 1 }
        let (runner, services) = (self.runner, self.services)
        for effect in effects {
            switch effect {
            case .quit: quitRequested = true
            case .redraw: redrawRequested = true
            case .reload:
                // Resolved into reads by the model's update; none reaches here.
                continue
            default: run { runner.perform(effect, services: services) }
            }
        }
    }

    private func run(_ job: @escaping @Sendable () -> Void) {
        switch work {
        case .inline: job()
        case .background:
            inFlight.count.add(1, ordering: .relaxed)
            let inFlight = self.inFlight
            let inbox = self.inbox
            queue.async {
                job()
                inFlight.count.subtract(1, ordering: .releasing)
                // Keys typed ahead may be waiting for this: the drawing thread looks.
                if inFlight.keysWaiting.load(ordering: .acquiring) { inbox.nudge() }
            }
        }
    }

    /// Whether effects asked for are still being performed.
    public var isBusy: Bool { inFlight.count.load(ordering: .acquiring) > 0 }

    /// Before a frame: waits up to `limit` for the effects just asked for, taking their
    /// results, so a list that opens is drawn with its rows rather than empty first. A
    /// slower read is drawn when it comes; a key pressed meanwhile waits at most this long.
    public func settle(upTo limit: Duration = .milliseconds(30)) {
        guard work == .background else { return }
        let deadline = ContinuousClock.now + limit
        while isBusy || !inbox.isEmpty || !typedAhead.isEmpty {
            drain()
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero, isBusy else { break }
            inbox.wait(upTo: left)
        }
        drain()
    }

    /// Waits for every effect asked for to be done (the audit trail's last entries):
    /// the console is closing.
    public func finish() {
        guard work == .background else { return }
        queue.sync {}
        drain()
    }
}

/// How many effects are under way, shared with the jobs that finish them.
private final class InFlight: Sendable {
    let count = Atomic<Int>(0)
    /// Keys typed ahead wait for the effects under way to finish.
    let keysWaiting = Atomic<Bool>(false)
}

/// What the lock hears back about a passphrase.
public enum UnlockAnswer: Sendable {
    case unlocked, wrong
    /// The profile has no passphrase (a key file seals it): the only way out is to quit.
    case quit
}

extension LocalDateTime {
    static let distantPast = LocalDateTime(year: 1, month: 1, day: 1)
}
