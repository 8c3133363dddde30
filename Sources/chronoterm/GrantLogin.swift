import ArgumentParser
import DrChronoAPI
import Foundation

extension LoginCommand {
    /// `chronoterm login --grant NAME`: a further DrChrono login for the profile, kept
    /// under `grants/NAME` and sealed like the profile's own, on ``FurtherLogin``'s rule.
    func addGrant(_ name: String) async throws {
        let profile = try profileOptions.open()
        // A dead grant (its office removed the app, its refresh token expired) is signed in
        // again under its name; a live one is not replaced.
        let existing = profile.grants().first { $0.name == name }
        if let existing, existing.state == .alive {
            throw ValidationError("The profile already has a grant named \(name) (chronoterm grants lists them); choose another name.")
        }
        let oauth = try profile.oauth(clientSecret: try profile.vault.load().clientSecret)
        let state = UUID().uuidString
        let address = try await redirect(from: oauth.authorizeURL(scopes: profile.settings.scopes, state: state))
        let code = try OAuthClient.code(fromRedirect: address, state: state)
        // What a refusal leaves: nothing of a new grant; a dead one as it was, without tokens.
        func giveUp() { if existing == nil { profile.removeGrant(name) } else { profile.grantVault(name).erase() } }
        do {
            let user = try await FurtherLogin.keep(code: code, through: oauth, in: profile.grantVault(name), profile: profile) {
                try profile.client(forGrant: name)
            }
            if let same = profile.grants().first(where: { $0.userId == user.id && $0.name != name }) {
                throw ValidationError("That DrChrono login (\(user.username)) is already the grant \(same.name): it was not added again.")
            }
            if let existing, existing.userId != user.id {
                throw ValidationError(
                    "The grant \(name) is \(existing.username)'s login; \(user.username) signed in. "
                        + "Sign in as \(existing.username), or add this login under another name.")
            }
            var record = GrantRecord(name: name, user: user, added: Date())
            if let existing { record.added = existing.added }
            try profile.save(record)
            if existing != nil {
                print(
                    "The grant \(name) is signed in again (DrChrono user \(user.username)): the sync reads through it from its next pass.")
            } else {
                print(
                    "Added the grant \(name): DrChrono user \(user.username)"
                        + (user.doctor.map { ", primary doctor \($0)" } ?? "") + ". It shares the profile's request budget.")
            }
        } catch FurtherLogin.Refusal.otherPractice(let user, let practice) {
            giveUp()
            throw ValidationError(
                "That DrChrono login (\(user.username)) is of another practice group (\(user.practiceGroup.map(String.init) ?? "none")), "
                    + "not this profile's (\(practice.practiceGroup.map(String.init) ?? "none")): it was not added.")
        } catch FurtherLogin.Refusal.practiceOwn(let user) {
            giveUp()
            throw ValidationError(
                "That is the profile's own DrChrono login (\(user.username)): a grant is another office's login. It was not added.")
        } catch {
            giveUp()
            throw error
        }
    }
}
