import ArgumentParser
import DrChronoAPI
import Foundation

extension LoginCommand {
    /// `chronoterm login --grant NAME`: a further DrChrono login for the profile, kept
    /// under `grants/NAME` and sealed like the profile's own, on ``FurtherLogin``'s rule.
    func addGrant(_ name: String) async throws {
        let profile = try profileOptions.open()
        if profile.grants().contains(where: { $0.name == name }) {
            throw ValidationError("The profile already has a grant named \(name) (chronoterm grants lists them); choose another name.")
        }
        let oauth = try profile.oauth(clientSecret: try profile.vault.load().clientSecret)
        let state = UUID().uuidString
        let address = try await redirect(from: oauth.authorizeURL(scopes: profile.settings.scopes, state: state))
        let code = try OAuthClient.code(fromRedirect: address, state: state)
        do {
            let user = try await FurtherLogin.keep(code: code, through: oauth, in: profile.grantVault(name), profile: profile) {
                try profile.client(forGrant: name)
            }
            if let same = profile.grants().first(where: { $0.userId == user.id }) {
                throw ValidationError("That DrChrono login (\(user.username)) is already the grant \(same.name): it was not added again.")
            }
            try profile.save(GrantRecord(name: name, user: user, added: Date()))
            print(
                "Added the grant \(name): DrChrono user \(user.username)"
                    + (user.doctor.map { ", primary doctor \($0)" } ?? "") + ". It shares the profile's request budget.")
        } catch FurtherLogin.Refusal.otherPractice(let user, let practice) {
            profile.removeGrant(name)
            throw ValidationError(
                "That DrChrono login (\(user.username)) is of another practice group (\(user.practiceGroup.map(String.init) ?? "none")), "
                    + "not this profile's (\(practice.practiceGroup.map(String.init) ?? "none")): it was not added.")
        } catch FurtherLogin.Refusal.practiceOwn(let user) {
            profile.removeGrant(name)
            throw ValidationError(
                "That is the profile's own DrChrono login (\(user.username)): a grant is another office's login. It was not added.")
        } catch {
            profile.removeGrant(name)
            throw error
        }
    }
}
