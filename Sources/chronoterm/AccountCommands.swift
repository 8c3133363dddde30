import ArgumentParser
import DrChronoAPI
import Foundation
import Mirror

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Forget this profile's DrChrono tokens (the mirror and settings stay).")

    @OptionGroup var profileOptions: ProfileOptions

    func run() async throws {
        let directory = profileOptions.directory
        let vault = TokenVault(directory: directory, keySource: .passphrase(""))
        guard vault.exists else {
            print("Profile '\(directory.name)' was not logged in.")
            return
        }
        // The checkpoint moves only with the profile's key: from the key file, if one is set.
        let seal = TokenVault.keyFileFromEnvironment().flatMap { try? TokenVault(directory: directory, keySource: $0).load() }
            .map { AuditSeal(secret: $0.clientSecret) }
        AccountAudit.record(.logout, user: nil, profile: directory, seal: seal)
        vault.erase()
        print(
            "Logged out of profile '\(directory.name)'. To revoke chronoterm's access in DrChrono too, remove it under Account → API → Authorized apps."
        )
    }
}

struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who this profile is logged in as, where, and what is left of the hour's requests.")

    @OptionGroup var profileOptions: ProfileOptions

    func run() async throws {
        let profile = try profileOptions.open()
        let client = try profile.client()
        let user = try await client.currentUser()
        let tokens = try profile.vault.load()
        let budget = RequestBudget(policy: profile.settings.budgetPolicy, file: profile.directory.file("budget.json"))
        print(
            """
            \(user.username) (user \(user.id)\(user.doctor.map { ", doctor \($0)" } ?? ""))\(user.isDoctor ? ", a doctor" : user.isStaff ? ", staff" : "")
            server:   \(profile.settings.server) (API \(profile.settings.apiVersion))
            profile:  \(profile.directory.name) — \(profile.directory.url.path)
            scopes:   \(tokens.scope.isEmpty ? profile.settings.scopes.joined(separator: " ") : tokens.scope)
            token:    good until \(tokens.expiresAt.formatted(date: .abbreviated, time: .shortened)), refreshed as needed
            requests: \(await budget.remaining()) of \(budget.policy.hourly) left this hour
            """)
    }
}
