import Foundation

/// What a profile remembers about its DrChrono, in `profile.json` beside the vault.
/// Nothing secret: the client secret and the tokens live in the sealed vault.
public struct ProfileSettings: Codable, Sendable, Equatable {
    public var server: String
    public var clientId: String
    public var redirectURI: String
    public var scopes: [String]
    public var apiVersion: String
    /// The API application's hourly allowance, if DrChrono granted it more than 500.
    public var hourlyLimit: Int?
    /// Who uses this profile: `front-desk`, `billing` or `clinician` (the console's
    /// first pane, and whether it writes). Absent: front desk.
    public var role: String?
    /// Lets a clinician profile book and bill.
    public var allowWrites: Bool?
    /// The console's colours: a theme in Themes/ (absent: dark).
    public var theme: String?
    /// Minutes without a key before the console locks its screen (absent: 5).
    public var lockAfterMinutes: Double?
    /// The one folder a console may save copies of chart documents to (absent: saving is
    /// off). People type a name in it, never a path.
    public var documentsFolder: String?
    /// The one folder a console may attach scans from (absent: attaching is off).
    public var inboxFolder: String?
    /// How long one request to DrChrono may take before it is given up (absent: 60 s).
    /// A write whose sender stopped mid-request is looked up only after this has passed.
    public var requestTimeoutSeconds: Double?
    /// How many days the mirror keeps its change events for `chronoterm events` and the
    /// warehouse to resume from (absent: 30).
    public var eventRetentionDays: Int?

    /// The days change events are kept.
    public var eventRetention: Int { eventRetentionDays ?? 30 }

    public init(
        server: String, clientId: String, redirectURI: String, scopes: [String], apiVersion: String = "v4", hourlyLimit: Int? = nil,
        role: String? = nil
    ) {
        (self.server, self.clientId, self.redirectURI, self.scopes, self.apiVersion, self.hourlyLimit, self.role) = (
            server, clientId, redirectURI, scopes, apiVersion, hourlyLimit, role
        )
    }

    enum CodingKeys: String, CodingKey {
        case server
        case clientId = "client_id"
        case redirectURI = "redirect_uri"
        case scopes
        case apiVersion = "api_version"
        case hourlyLimit = "hourly_limit"
        case role
        case allowWrites = "allow_writes"
        case theme
        case lockAfterMinutes = "lock_after_minutes"
        case documentsFolder = "documents_folder"
        case inboxFolder = "inbox_folder"
        case requestTimeoutSeconds = "request_timeout_seconds"
        case eventRetentionDays = "event_retention_days"
    }

    /// The budget policy for this profile's API application.
    public var budgetPolicy: BudgetPolicy {
        var policy = BudgetPolicy()
        if let hourlyLimit, hourlyLimit > 0 { policy.hourly = hourlyLimit }
        return policy
    }

    /// What the console asks for: reading the schedule, patients, charts, labs and
    /// billing, and writing appointments, patients, payments and line items. Nothing else
    /// (no messages, tasks or settings; labs are only read).
    public static let consoleScopes = [
        "user:read", "calendar:read", "calendar:write", "patients:read", "patients:write", "billing:patient-payment:read",
        "billing:patient-payment:write",
        "clinical:read", "billing:read", "billing:write", "labs:read",
    ]

    static let fileName = "profile.json"

    /// The roles a profile may name; anything else is refused, never read as another.
    public static let roles = ["front-desk", "billing", "clinician"]

    public static func load(from directory: ProfileDirectory) throws(ProfileError) -> ProfileSettings {
        try directory.checkPermissions()
        guard let data = directory.read(fileName) else { throw .missing(directory.name) }
        let path = directory.file(fileName).path
        let settings: ProfileSettings
        do {
            settings = try JSONDecoder().decode(ProfileSettings.self, from: data)
        } catch let error as DecodingError {
            throw .unusable(path, ProfileSettings.explain(error))
        } catch {
            throw .unusable(path, "could not be read (\(error)); fix it, or run `chronoterm login` again")
        }
        if let problem = settings.problem { throw .unusable(path, problem) }
        return settings
    }

    /// What is wrong with a setting, naming the field and what it may be; nil when all
    /// are usable. An unknown role is refused rather than read as one that writes.
    public var problem: String? {
        if let role, !ProfileSettings.roles.contains(role) {
            return
                "has \"role\": \"\(role)\", which chronoterm does not know; use \(ProfileSettings.roles.map { "\"\($0)\"" }.joined(separator: ", "))."
        }
        if let hourlyLimit, hourlyLimit < 1 {
            return
                "has \"hourly_limit\": \(hourlyLimit); it is the requests an hour DrChrono allows the API application: a whole number of 1 or more "
                + "(leave it out for DrChrono's usual 500)."
        }
        if let lockAfterMinutes, !(lockAfterMinutes >= 0 && lockAfterMinutes.isFinite) {
            let shown =
                lockAfterMinutes.rounded() == lockAfterMinutes && lockAfterMinutes.isFinite
                ? String(Int(lockAfterMinutes)) : String(lockAfterMinutes)
            return
                "has \"lock_after_minutes\": \(shown); use the minutes without a key before the screen locks (0 never locks; leave it out for 5)."
        }
        if let requestTimeoutSeconds, !(1...600).contains(requestTimeoutSeconds) {
            return "has \"request_timeout_seconds\": \(requestTimeoutSeconds); use 1 to 600 (leave it out for 60)."
        }
        if let eventRetentionDays, !(1...3650).contains(eventRetentionDays) {
            return
                "has \"event_retention_days\": \(eventRetentionDays); use the days change events are kept, 1 to 3650 (leave it out for 30)."
        }
        guard let url = URL(string: server), let scheme = url.scheme?.lowercased(), ["https", "http"].contains(scheme),
            url.host?.isEmpty == false
        else {
            return
                "has \"server\": \"\(server)\"; it must be DrChrono's address, https://app.drchrono.com (or a sandbox's http:// address)."
        }
        return nil
    }

    /// A decoding error as the field it is about and what the field should hold.
    static func explain(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is Int.Type, is Int?.Type: "a whole number"
            case is Double.Type, is Double?.Type: "a number"
            case is Bool.Type, is Bool?.Type: "true or false"
            case is [String].Type: "a list of text in quotes"
            default: "text in quotes"
            }
        }
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return
                "has \"\(field(context.codingPath))\" of the wrong kind: it must be \(kind(type)). Fix it, or run `chronoterm login` again."
        case .keyNotFound(let key, let context):
            return "has no \"\(field(context.codingPath + [key]))\". Run `chronoterm login` again to write it."
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "is not valid JSON. Fix it, or run `chronoterm login` again."
                : "has \"\(field(context.codingPath))\" that cannot be read: \(context.debugDescription). Fix it, or run `chronoterm login` again."
        @unknown default:
            return "is damaged; run `chronoterm login` again."
        }
    }

    public func save(to directory: ProfileDirectory) throws(ProfileError) {
        try directory.prepare()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else {
            throw .unusable(directory.file(ProfileSettings.fileName).path, "could not be encoded")
        }
        try directory.writeDurably(data, to: ProfileSettings.fileName)
    }
}

/// A profile ready to talk to DrChrono: its settings, vault and budget, wired into a client.
public struct Profile: Sendable {
    public let directory: ProfileDirectory
    public let settings: ProfileSettings
    public let vault: TokenVault

    public init(directory: ProfileDirectory, settings: ProfileSettings, keySource: TokenVault.KeySource) {
        self.directory = directory
        self.settings = settings
        vault = TokenVault(directory: directory, keySource: keySource)
    }

    public var server: DrChronoServer {
        get throws(ProfileError) {
            guard let url = URL(string: settings.server), url.scheme != nil else {
                throw .unusable(directory.file(ProfileSettings.fileName).path, "names no valid server; run `chronoterm login --server URL`")
            }
            return DrChronoServer(baseURL: url)
        }
    }

    /// The OAuth client, with the secret from the vault.
    public func oauth(clientSecret: String, transport: any HTTPTransport = CurlTransport()) throws(ProfileError) -> OAuthClient {
        OAuthClient(
            server: try server,
            application: OAuthApplication(clientId: settings.clientId, clientSecret: clientSecret, redirectURI: settings.redirectURI),
            transport: transport)
    }

    /// A client on this profile's tokens and its shared request budget.
    public func client(time: any TimeSource = SystemTime(), transport: (any HTTPTransport)? = nil) throws -> DrChronoClient {
        try client(vault: vault, time: time, transport: transport ?? defaultTransport)
    }

    /// libcurl, with the profile's request timeout.
    var defaultTransport: any HTTPTransport {
        guard let seconds = settings.requestTimeoutSeconds, seconds > 0, seconds.isFinite else { return CurlTransport() }
        return CurlTransport(connectTimeout: .seconds(min(10, seconds)), totalTimeout: .milliseconds(Int(seconds * 1000)))
    }

    /// The vault of the DrChrono login a person linked (`chronoterm people link`).
    public func personVault(_ person: String) -> TokenVault { TokenVault(directory: directory.person(person), keySource: vault.keySource) }

    /// A client on a person's own DrChrono login, counted against the profile's one
    /// request budget (DrChrono's 500 an hour are the application's, whoever's grant a
    /// request carries); nil when the person has not linked a login.
    public func client(
        forPerson person: String, time: any TimeSource = SystemTime(), transport: (any HTTPTransport)? = nil
    ) throws -> DrChronoClient? {
        try client(ifSaved: personVault(person), time: time, transport: transport)
    }

    /// A client on `vault`'s login, counted against the profile's budget; nil when the
    /// vault holds none.
    func client(ifSaved vault: TokenVault, time: any TimeSource, transport: (any HTTPTransport)?) throws -> DrChronoClient? {
        guard vault.exists else { return nil }
        return try client(vault: vault, time: time, transport: transport ?? defaultTransport)
    }

    func client(vault: TokenVault, time: any TimeSource, transport: any HTTPTransport) throws -> DrChronoClient {
        let tokens = try vault.load()
        let oauth = try oauth(clientSecret: tokens.clientSecret, transport: transport)
        let session = TokenSession(vault: vault, oauth: oauth, time: time)
        let budget = RequestBudget(policy: settings.budgetPolicy, file: directory.file("budget.json"), time: time)
        return DrChronoClient(
            server: try server, tokens: session, budget: budget, transport: transport, time: time, apiVersion: settings.apiVersion)
    }
}
