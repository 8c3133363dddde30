/// Which of a profile's DrChrono logins reads what: the fewest that together see every
/// doctor of the practice, each doctor read through one of them.
///
/// In DrChrono a token sees what the user who granted it may see: every doctor (the
/// practice group shares patients, or the user is its administrator) or their own
/// doctor's side alone. A practice-wide login therefore reads everything by itself; the
/// doctor-scoped ones are read only when no practice-wide login is alive, one per doctor.
///
/// ```swift
/// let plan = GrantPlan.make(
///     logins: [.init(name: "", sight: .doctors([1])), .init(name: "north", sight: .doctors([2]))],
///     doctors: [1, 2])
/// plan.readers.map(\.name)  // ["", "north"]: each reads its own doctor's side
/// ```
public struct GrantPlan: Sendable, Equatable {
    /// A login as the plan sees it. The profile's own login is named "".
    public struct Login: Sendable, Equatable {
        public var name: String
        /// What it sees; nil until DrChrono has said (or when the login is dead).
        public var sight: Sight?
        public var alive: Bool

        public init(name: String, sight: Sight?, alive: Bool = true) { (self.name, self.sight, self.alive) = (name, sight, alive) }
    }

    /// Which doctors' rows a login sees.
    public enum Sight: Sendable, Equatable {
        /// Every doctor of the practice group.
        case practice
        /// These doctors' sides only.
        case doctors(Set<Int>)

        /// What a login sees, from what DrChrono said of its user (`users/current`):
        /// every doctor when it says so; else the primary doctor's side — read without
        /// narrowing, so nothing it sees is missed when DrChrono did not say.
        public init(seesEveryDoctor: Bool?, doctor: Int?) {
            if seesEveryDoctor == true { self = .practice } else if let doctor { self = .doctors([doctor]) } else { self = .practice }
        }

        func covers(_ doctors: Set<Int>) -> Set<Int> {
            switch self {
            case .practice: doctors
            case .doctors(let own): own.intersection(doctors)
            }
        }
    }

    /// One login the sync reads through, and its part of the practice.
    public struct Reader: Sendable, Equatable {
        public var name: String
        /// Whether it reads the practice-wide settings (doctors, offices, visit types):
        /// one reader does, the lead.
        public var readsSettings: Bool
        /// The doctors it reads for; nil: everything it sees (the only reader).
        public var doctors: Set<Int>?
        /// Its lists are asked with `doctor=` this doctor: it sees more doctors than it
        /// reads for, and another reader reads the rest.
        public var narrowTo: Int?

        public init(name: String, readsSettings: Bool, doctors: Set<Int>? = nil, narrowTo: Int? = nil) {
            (self.name, self.readsSettings, self.doctors, self.narrowTo) = (name, readsSettings, doctors, narrowTo)
        }

        /// Whether what it stores keeps the fields a stored row has and its copy lacks: a
        /// reader of part of the practice may be shown less of a row than another was.
        public var keepsFields: Bool { doctors != nil }

        /// The one login of a profile without grants.
        public static let sole = Reader(name: "", readsSettings: true)

        /// Its `sync_state` scope for `scope`: the profile's own login keeps the plain
        /// names (a mirror from before grants goes on where it was).
        public func scope(_ scope: String) -> String { name.isEmpty ? scope : "\(name):\(scope)" }
    }

    /// In the order they read: the lead (who reads the settings) first.
    public var readers: [Reader]
    /// Doctors no live login sees: their rows stay in the mirror as they were last read,
    /// shown as stale, until a login that sees them is added or comes back.
    public var unseen: Set<Int>

    /// The plan for `logins` over the practice's `doctors` (those the mirror knows and
    /// those the logins name). The profile's own login is preferred, then grants by name.
    public static func make(logins: [Login], doctors: Set<Int>) -> GrantPlan {
        // The profile's own login ("") sorts first, then the grants by name.
        let live = logins.filter { $0.alive && $0.sight != nil }.sorted { $0.name < $1.name }
        var everyone = doctors
        for login in live { if case .doctors(let own) = login.sight { everyone.formUnion(own) } }
        if let wide = live.first(where: { $0.sight == .practice }) {
            return GrantPlan(readers: [Reader(name: wide.name, readsSettings: true)], unseen: [])
        }
        // No login sees everything: the fewest that do together, greedily (the logins a
        // practice has are few; each doctor-scoped one sees one doctor in DrChrono).
        var left = everyone
        var chosen: [(Login, Set<Int>)] = []
        while !left.isEmpty {
            // The first of those that cover the most (`max` keeps the first of equals).
            let best = live.map { ($0, $0.sight!.covers(left)) }.max { $0.1.count < $1.1.count }
            guard let (login, covered) = best, !covered.isEmpty, !chosen.contains(where: { $0.0.name == login.name }) else { break }
            chosen.append((login, covered))
            left.subtract(covered)
        }
        guard !chosen.isEmpty else { return GrantPlan(readers: [], unseen: everyone) }
        let readers = chosen.enumerated().map { index, pick in
            let (login, assigned) = pick
            var reader = Reader(name: login.name, readsSettings: index == 0, doctors: chosen.count == 1 ? nil : assigned)
            // It sees doctors another reader reads: ask for its one doctor's rows alone.
            if chosen.count > 1, case .doctors(let own) = login.sight!, own.count > assigned.count, assigned.count == 1 {
                reader.narrowTo = assigned.first
            }
            return reader
        }
        return GrantPlan(readers: readers, unseen: left)
    }
}
