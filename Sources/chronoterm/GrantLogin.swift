import ArgumentParser
import DrChronoAPI
import Foundation

extension LoginCommand {
    /// `chronoterm login --grant NAME`: a further DrChrono login for the profile, kept
    /// under `grants/NAME` and sealed like the profile's own. Kept only once DrChrono has
    /// said who it is and that it is of the profile's practice group.
    func addGrant(_ name: String) async throws {
        let profile = try profileOptions.open()
        if profile.grants().contains(where: { $0.name == name }) {
            throw ValidationError("The profile already has a grant named \(name) (chronoterm grants lists them); choose another name.")
        }
        let practiceTokens = try profile.vault.load()
        let oauth = try profile.oauth(clientSecret: practiceTokens.clientSecret)
        let state = UUID().uuidString
        let address = try await redirect(from: oauth.authorizeURL(scopes: profile.settings.scopes, state: state))
        let code = try OAuthClient.code(fromRedirect: address, state: state)
        let tokens = try await oauth.exchange(code: code, now: Date())
        let vault = profile.grantVault(name)
        try profile.directory.grant(name).prepare()
        try vault.save(
            TokenSet(
                accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt, scope: tokens.scope,
                clientSecret: practiceTokens.clientSecret))
        do {
            let practiceUser = try await profile.client().currentUser()
            guard let client = try profile.client(forGrant: name) else { throw ValidationError("The grant \(name) could not be kept.") }
            let user = try await client.currentUser()
            guard user.practiceGroup == practiceUser.practiceGroup else {
                throw ValidationError(
                    "That DrChrono login (\(user.username)) is of another practice group (\(user.practiceGroup.map(String.init) ?? "none")), "
                        + "not this profile's (\(practiceUser.practiceGroup.map(String.init) ?? "none")): it was not added.")
            }
            guard user.id != practiceUser.id else {
                throw ValidationError(
                    "That is the profile's own DrChrono login (\(user.username)): a grant is another office's login. It was not added.")
            }
            if let same = profile.grants().first(where: { $0.userId == user.id }) {
                throw ValidationError("That DrChrono login (\(user.username)) is already the grant \(same.name): it was not added again.")
            }
            try profile.save(GrantRecord(name: name, user: user, added: Date()))
            print(
                "Added the grant \(name): DrChrono user \(user.username)"
                    + (user.doctor.map { ", primary doctor \($0)" } ?? "") + ". It shares the profile's request budget.")
        } catch {
            profile.removeGrant(name)
            throw error
        }
    }
}
