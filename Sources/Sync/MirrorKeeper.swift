import DrChronoAPI
import Mirror

/// What keeps a profile's mirror fresh, as the daemon, a console and the webhook receiver
/// use it: one ``SyncEngine`` for a profile with one DrChrono login, a ``GrantedSync``
/// over the engines of its grants' plan for one with several.
public protocol MirrorKeeper: Sendable {
    var mirror: MirrorDatabase { get }
    /// Brings the mirror up to date, whatever state it is in (see ``SyncEngine/catchUp(progress:)``).
    func catchUp(progress: @Sendable (SyncEngine.Progress) -> Void) async throws -> SyncEngine.CatchUpReport
    /// One incremental pass of `resources`.
    func pass(_ resources: [MirrorResource]) async throws -> SyncEngine.PassReport
    /// Removes the rows of `resource` DrChrono no longer lists; answers how many.
    func reconcile(_ resource: MirrorResource) async throws -> Int
    /// Reads one row again (a webhook's hint, a write's answer that was lost).
    func refresh(_ resource: MirrorResource, id: String, priority: RequestPriority) async throws
    /// Reads one patient's chart now, ahead of everything queued.
    func loadChart(patient: Int) async throws
    /// The profile's requests this hour and its budget (one for all its logins).
    func budgetSpent() async -> (Int, BudgetPolicy)
}

extension MirrorKeeper {
    public func catchUp() async throws -> SyncEngine.CatchUpReport { try await catchUp { _ in } }
    public func pass() async throws -> SyncEngine.PassReport { try await pass(MirrorResource.allCases) }
    public func refresh(_ resource: MirrorResource, id: String) async throws { try await refresh(resource, id: id, priority: .write) }
}

extension SyncEngine: MirrorKeeper {
    public func refresh(_ resource: MirrorResource, id: String, priority: RequestPriority) async throws {
        _ = try await refresh(resource, id: id, priority: priority, removeIfMissing: true)
    }

    public func budgetSpent() async -> (Int, BudgetPolicy) { await client.budgetSpent() }
}

extension DrChronoClient {
    /// `currentUser()` as a value (a typed throw caught in an actor's loop trips this
    /// compiler's ownership checker).
    func currentUserResult() async -> Result<CurrentUser, APIError> {
        do { return .success(try await currentUser()) } catch { return .failure(error) }
    }
}
