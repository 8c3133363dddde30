/// Who sits at this profile: it decides the first pane and whether writes are allowed.
public enum Role: String, CaseIterable, Sendable, Codable {
    case frontDesk = "front-desk"
    case billing, clinician

    /// What the role may queue: the front desk books and bills, billing bills, a
    /// clinician reads (unless the profile says `allow_writes`).
    public func writes(allowed: Bool = false) -> Set<WorkArea> {
        if allowed { return [.schedule, .patients, .billing] }
        switch self {
        case .frontDesk: return [.schedule, .patients, .billing]
        case .billing: return [.billing]
        case .clinician: return []
        }
    }

    /// The OAuth scopes the role needs, and no more: every role reads what the console
    /// shows; only the writes it may queue add `calendar:write`, `patients:write` or
    /// `billing:write`.
    public func scopes(allowWrites: Bool = false) -> [String] {
        let writes = writes(allowed: allowWrites)
        return ["user:read", "calendar:read"] + (writes.contains(.schedule) ? ["calendar:write"] : []) + ["patients:read"]
            + (writes.contains(.patients) ? ["patients:write"] : []) + ["clinical:read", "labs:read", "billing:read"]
            + (writes.contains(.billing) ? ["billing:write"] : []) + ["billing:patient-payment:read"]
            + (writes.contains(.billing) ? ["billing:patient-payment:write"] : [])
    }
}

extension Role {
    /// Whether the role reads clinical notes through an agent (the MCP server): the
    /// clinicians who write them and the billers who code from them; the front desk's
    /// jobs need none (the minimum necessary).
    public var readsClinicalNotes: Bool { self != .frontDesk }
}

/// The parts of the practice's work a role may change (a queued write's own kind is
/// the outbox's `WriteKind`).
public enum WorkArea: Sendable, Hashable {
    /// Booking, moving, changing status, cancelling.
    case schedule
    /// Registering a patient, changing their demographics and insurance.
    case patients
    /// Adding line items, taking payments.
    case billing
}

extension Role {
    /// The role a console opens in, and what it may change. A person's own role comes
    /// first (the practice profile is everyone's), then the profile's; absent means front
    /// desk, as documented. A role this chronoterm does not know could only come from a
    /// newer one, and gets the narrowest: a clinician's, reading only — and
    /// `allow_writes` does not widen it.
    public static func resolve(person: String?, profile: String?, allowWrites: Bool) -> (role: Role, writes: Set<WorkArea>) {
        guard let name = person ?? profile else { return (.frontDesk, Role.frontDesk.writes(allowed: allowWrites)) }
        guard let known = Role(rawValue: name) else { return (.clinician, Role.clinician.writes()) }
        return (known, known.writes(allowed: allowWrites))
    }
}
