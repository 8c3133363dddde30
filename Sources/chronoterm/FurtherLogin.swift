import ArgumentParser
import DrChronoAPI
import Foundation

/// A DrChrono login kept in a profile beside the practice's own — a person's
/// (`people link`) or a doctor's office's (`login --grant`): the one rule for keeping
/// one, whatever the command that asks.
enum FurtherLogin {
    /// Why a login was not kept.
    enum Refusal: Error {
        /// Of another practice group than the profile's own login.
        case otherPractice(user: CurrentUser, practice: CurrentUser)
        /// The profile's own login again.
        case practiceOwn(CurrentUser)
    }

    /// Exchanges `code` (through `oauth`, the practice's application), seals the tokens in `vault` and keeps them only once DrChrono
    /// has said who the login is (`client` reads through it) and that it is of the
    /// profile's practice group and not its own login; otherwise (or when DrChrono
    /// cannot say) the tokens are erased and the error thrown.
    static func keep(
        code: String, through oauth: OAuthClient, in vault: TokenVault, profile: Profile, client: () throws -> DrChronoClient?
    ) async throws -> CurrentUser {
        let tokens = try await oauth.exchange(code: code, now: Date())
        try vault.save(
            TokenSet(
                accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt, scope: tokens.scope,
                clientSecret: oauth.application.clientSecret))
        do {
            let practiceUser = try await profile.client().currentUser()
            guard let own = try client() else { throw ValidationError("The login could not be kept.") }
            let user = try await own.currentUser()
            guard user.practiceGroup == practiceUser.practiceGroup else { throw Refusal.otherPractice(user: user, practice: practiceUser) }
            guard user.id != practiceUser.id else { throw Refusal.practiceOwn(user) }
            return user
        } catch {
            vault.erase()
            throw error
        }
    }
}
