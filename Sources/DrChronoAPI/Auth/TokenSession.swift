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

    public init(vault: TokenVault, oauth: OAuthClient, time: any TimeSource = SystemTime()) {
        self.vault = vault
        self.oauth = oauth
        self.time = time
        lock = FileLock(path: vault.directory.file("refresh.lock").path)
    }

    /// A token good for at least the next few minutes.
    public func accessToken() async throws(APIError) -> String {
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
        let vault = self.vault, oauth = self.oauth, time = self.time
        let result: Result<TokenSet, APIError>
        do {
            result = try await lock.withLock { () async -> Result<TokenSet, APIError> in
                let now = await time.now()
                let stored: TokenSet
                do { stored = try vault.load() } catch { return .failure(.loginRequired("\(error)")) }
                // Another process may have refreshed while we waited for the lock.
                if stored.accessToken != stale, !stored.needsRefresh(at: now) { return .success(stored) }
                do {
                    let fresh = try await oauth.refresh(stored, now: now)
                    try vault.save(fresh)
                    return .success(fresh)
                } catch let error as APIError {
                    return .failure(error)
                } catch {
                    return .failure(.unexpected("the refreshed tokens could not be stored: \(error)"))
                }
            }
        } catch {
            throw .unexpected("the profile's lock could not be taken: \(error)")
        }
        let tokens = try result.get()
        current = tokens
        return tokens.accessToken
    }

    private func load() throws(APIError) -> TokenSet {
        do { return try vault.load() } catch { throw .loginRequired(error.description) }
    }
}
