import Foundation

/// Hands out a valid access token, refreshing it ahead of expiry and once after a 401.
///
/// Refreshing is done under the profile's lock file, so two consoles on one profile
/// never spend the same refresh token (DrChrono rotates it: the loser would lose the
/// grant). The rotated tokens are written to the vault, durably, before the new access
/// token is used.
public actor TokenSession {
    let vault: TokenVault
    let oauth: OAuthClient
    let time: any TimeSource
    let lock: FileLock
    private var current: TokenSet?
    /// Refreshed tokens that DrChrono issued but the disk would not take: the old
    /// refresh token is spent, so these are the grant. Kept here and saved at the next
    /// request until the disk has room.
    private var unsaved: TokenSet?

    public init(vault: TokenVault, oauth: OAuthClient, time: any TimeSource = SystemTime()) {
        self.vault = vault
        self.oauth = oauth
        self.time = time
        lock = FileLock(path: vault.directory.file("refresh.lock").path)
    }

    /// A token good for at least the next few minutes.
    public func accessToken() async throws(APIError) -> String {
        if let unsaved, (try? vault.save(unsaved)) != nil { self.unsaved = nil }
        let now = await time.now()
        if current == nil { current = try load() }
        if let current, !current.needsRefresh(at: now) { return current.accessToken }
        return try await refresh(replacing: current?.accessToken)
    }

    /// Called after DrChrono refused `failedToken` with a 401.
    public func refresh(after failedToken: String) async throws(APIError) -> String {
        try await refresh(replacing: failedToken)
    }

    private func refresh(replacing stale: String?) async throws(APIError) -> String {
        let vault = self.vault
        let oauth = self.oauth
        let time = self.time
        let held = unsaved
        let result: Result<(tokens: TokenSet, saved: Bool), APIError>
        do {
            result = try await lock.withLock { () async -> Result<(tokens: TokenSet, saved: Bool), APIError> in
                let now = await time.now()
                let stored: TokenSet
                if let held {
                    stored = held
                } else {
                    do { stored = try vault.load() } catch { return .failure(.loginRequired("\(error)")) }
                }
                // Another process may have refreshed while we waited for the lock.
                if stored.accessToken != stale, !stored.needsRefresh(at: now) { return .success((stored, held == nil)) }
                // DrChrono rotates the refresh token: the room for the new vault is
                // claimed first, or a full disk would lose the grant.
                let room: TokenVault.Reservation
                do { room = try vault.reserveRoom() } catch { return .failure(.cannotSave("\(error)")) }
                let fresh: TokenSet
                do {
                    fresh = try await oauth.refresh(stored, now: now)
                } catch let error as APIError {
                    vault.release(room)
                    return .failure(error)
                } catch {
                    vault.release(room)
                    return .failure(.unexpected("\(error)"))
                }
                do {
                    try vault.save(fresh, into: room)
                    return .success((fresh, true))
                } catch {
                    vault.release(room)
                    return .success((fresh, false))
                }
            }
        } catch {
            throw .unexpected("the profile's lock could not be taken: \(error)")
        }
        let (tokens, saved) = try result.get()
        current = tokens
        unsaved = saved ? nil : tokens
        return tokens.accessToken
    }

    private func load() throws(APIError) -> TokenSet {
        do { return try vault.load() } catch { throw .loginRequired(error.description) }
    }
}
