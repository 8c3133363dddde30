import Foundation

/// Who a request is for. A person waiting at the desk comes first; writes next (a
/// booking must reach DrChrono); background sync last.
public enum RequestPriority: Int, Sendable, Comparable, CustomStringConvertible {
    case background = 0
    case write = 1
    case interactive = 2

    public static func < (a: RequestPriority, b: RequestPriority) -> Bool { a.rawValue < b.rawValue }
    public var description: String { ["background", "write", "interactive"][rawValue] }
}

/// The limits a budget keeps, with the reserves that stop background work from ever
/// starving a person's action.
public struct BudgetPolicy: Sendable, Equatable {
    /// DrChrono's hourly allowance for the whole API application.
    public var hourly = 500
    /// Kept safely under DrChrono's 10 a second.
    public var perSecond = 8
    /// Requests only interactive work may use.
    public var interactiveReserve = 25
    /// Requests only writes and interactive work may use.
    public var writeReserve = 50

    public init() {}

    /// How many of the hour's requests `priority` may have used before it must wait.
    public func ceiling(for priority: RequestPriority) -> Int {
        switch priority {
        case .interactive: hourly
        case .write: max(0, hourly - interactiveReserve)
        case .background: max(0, hourly - interactiveReserve - writeReserve)
        }
    }
}

/// One budget per API application, shared by every process of a profile through a
/// small JSON file under an exclusive lock: an hourly window reset at the top of the
/// hour, a burst rate kept under DrChrono's, and reserves by priority.
///
/// DrChrono sends no rate-limit headers, so counting our own calls — across every
/// process — is the only way not to be locked out for an hour.
public actor RequestBudget {
    struct State: Codable, Equatable {
        var hour = 0
        var used = 0
        /// Times (epoch seconds) of the requests in the last second.
        var recent: [Double] = []
        /// Set after DrChrono answered an hourly 429: no request before then.
        var blockedUntil: Double?
    }

    public nonisolated let policy: BudgetPolicy
    let time: any TimeSource
    let file: URL?
    private var memory = State()

    /// A budget kept in `file` (shared with other processes), or in memory when nil.
    public init(policy: BudgetPolicy = BudgetPolicy(), file: URL?, time: any TimeSource = SystemTime()) {
        self.policy = policy
        self.file = file
        self.time = time
    }

    enum Decision: Equatable {
        case granted
        case wait(TimeInterval)
        case exhausted(until: Double)
        /// The budget file could not be written (errno given): the request cannot be
        /// counted, so it counts as spent and is not sent.
        case unrecorded(Int32)
    }

    /// Takes one request from the budget, waiting out the burst rate. When the hour's
    /// share for `priority` is spent, waits for the next hour if `waitForNextHour`,
    /// else throws ``APIError/budgetExhausted(resetsAt:)``.
    public func acquire(_ priority: RequestPriority, waitForNextHour: Bool) async throws(APIError) {
        while true {
            let now = await time.now().timeIntervalSince1970
            let decision = update(now: now) { state in
                if let until = state.blockedUntil, now < until { return .exhausted(until: until) }
                if state.used >= self.policy.ceiling(for: priority) { return .exhausted(until: Double(state.hour + 1) * 3600) }
                if state.recent.count >= self.policy.perSecond, let oldest = state.recent.min() {
                    return .wait(max(0.01, oldest + 1.0 - now))
                }
                state.used += 1
                state.recent.append(now)
                return .granted
            }
            switch decision {
            case .granted:
                return
            case .wait(let seconds):
                try? await time.sleep(seconds: seconds)
            case .unrecorded(let failure):
                let path = file?.path ?? "the budget file"
                let why =
                    failure == ENOSPC || failure == EDQUOT
                    ? "the disk holding it is full" : failure == 0 ? "it could not be written" : String(cString: strerror(failure))
                throw .cannotSave(
                    "chronoterm cannot record its requests in \(path) (\(why)), and a request it cannot count could overrun the "
                        + "practice's hourly limit, so nothing is sent. Free some space on that disk; sending resumes by itself.")
            case .exhausted(let until):
                guard waitForNextHour else { throw .budgetExhausted(resetsAt: Date(timeIntervalSince1970: until)) }
                // Jitter, so every client of the practice does not stampede at :00.
                try? await time.sleep(seconds: until - now + Double.random(in: 1...30))
            }
        }
    }

    /// DrChrono answered an hourly 429: someone (maybe another program of this
    /// application) spent the hour. Nothing more until the top of the next hour.
    public func markHourExhausted() async {
        let now = await time.now().timeIntervalSince1970
        _ = update(now: now) { state in
            state.used = max(state.used, self.policy.hourly)
            state.blockedUntil = Double(state.hour + 1) * 3600
            return .granted
        }
    }

    /// Requests left this hour for `priority`.
    public func remaining(for priority: RequestPriority = .interactive) async -> Int {
        let now = await time.now().timeIntervalSince1970
        var left = 0
        // A look, not a change: nothing is written (the status bar asks often).
        _ = update(now: now, persist: false) { state in
            left = state.blockedUntil.map { now < $0 } == true ? 0 : max(0, self.policy.ceiling(for: priority) - state.used)
            return .granted
        }
        return left
    }

    /// Requests every process of the profile has spent this hour (the whole hour's
    /// allowance once DrChrono has said it is spent).
    public func spentThisHour() async -> Int {
        let now = await time.now().timeIntervalSince1970
        var spent = 0
        _ = update(now: now, persist: false) { state in
            spent = state.blockedUntil.map { now < $0 } == true ? max(state.used, self.policy.hourly) : state.used
            return .granted
        }
        return spent
    }

    /// Reads, changes and (unless `persist` is false) writes the shared state under the file lock.
    private func update(now: Double, persist: Bool = true, _ change: (inout State) -> Decision) -> Decision {
        func roll(_ state: inout State) {
            let hour = Int((now / 3600).rounded(.down))
            if state.hour != hour { state.hour = hour; state.used = 0 }
            if let until = state.blockedUntil, now >= until { state.blockedUntil = nil }
            state.recent.removeAll { $0 <= now - 1 || $0 > now + 1 }
        }
        guard let file else {
            roll(&memory)
            return change(&memory)
        }
        let lock = FileLock(path: file.path + ".lock")
        let result = try? lock.withLockSync { () -> Decision in
            var state =
                FileManager.default.contents(atPath: file.path).flatMap { try? JSONDecoder().decode(State.self, from: $0) } ?? State()
            roll(&state)
            let decision = change(&state)
            // Not fsynced: a budget a crash rolls back by a request or two is harmless.
            guard persist, decision == .granted else { return decision }
            guard let data = try? JSONEncoder().encode(state), PrivateFile.replace(file.path, with: data, durable: false) else {
                return .unrecorded(errno)
            }
            return decision
        }
        // A budget that cannot be recorded (no room for its file or its lock) counts as
        // spent: a request no other process can see could overrun the practice's hour.
        if let result { return result }
        if persist { return .unrecorded(errno) }
        roll(&memory)
        return change(&memory)
    }
}
