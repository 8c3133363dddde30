import DrChronoAPI
import Mirror

/// Which practice, user and API version the mirror is a copy of.
extension SyncEngine {
    /// Checks that the mirror is a copy of what this client sees (server, practice,
    /// user, API version); rebuilds it from scratch if not. Answers whether it did.
    @discardableResult
    public func ensureEpoch() async throws -> Bool {
        let user = try await client.currentUser()
        requests += 1
        return try await ensureEpoch(for: user)
    }

    /// The same, for the user `/api/users/current` just named.
    @discardableResult
    public func ensureEpoch(for user: CurrentUser) async throws -> Bool {
        let apiVersion = client.apiVersion
        let epoch = MirrorEpoch(
            server: client.server.baseURL.absoluteString, practiceGroup: String(user.practiceGroup ?? 0),
            userId: String(user.id), apiVersion: apiVersion)
        return try await mirror.write(.pass) { db in try epoch.adopt(in: db) }
    }
}
