import Foundation

/// A DrChrono login added to a practice's profile beside its own: in DrChrono a token
/// sees what its user may see, so a practice whose doctors' offices do not share
/// patients reaches each office through that office's login. One API application, so
/// one request budget for all of them (``Profile/client(forGrant:time:transport:)``).
public struct GrantRecord: Codable, Sendable, Equatable {
    /// What the practice calls it (`north`, `dr-patel`): letters, digits, '-' and '_'.
    public var name: String
    /// The DrChrono user who signed in, as `/api/users/current` named them.
    public var userId: Int
    public var username: String
    /// Their primary doctor (for a doctor, themselves).
    public var doctor: Int?
    public var practiceGroup: Int?
    /// Whether DrChrono said the user reaches every doctor's rows (nil: it did not say).
    public var seesEveryDoctor: Bool?
    /// When it was added (UTC, ISO 8601).
    public var added: String
    public var state: GrantState
    /// Why it is dead, in words, when it is.
    public var reason: String?

    public init(name: String, user: CurrentUser, added: Date) {
        self.name = name
        userId = user.id
        username = user.username
        doctor = user.doctor
        practiceGroup = user.practiceGroup
        seesEveryDoctor = user.seesEveryDoctor
        self.added = GrantRecord.stamp(added)
        state = .alive
    }

    static func stamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970)
        let day = LocalDateTime(secondsSinceEpoch: seconds)
        return day.description + "Z"
    }

    static let fileName = "grant.json"

    /// A grant's name, or why it cannot be one.
    public static func check(name: String) -> String? {
        guard !name.isEmpty, name.count <= 40 else { return "A grant's name is 1 to 40 characters." }
        guard
            name.unicodeScalars.allSatisfy({
                ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) || $0 == "-" || $0 == "_"
            })
        else { return "A grant's name is letters, digits, '-' and '_' (it names a folder): \(name) is not." }
        guard name != "practice" else { return "practice is the profile's own login; give the grant another name." }
        return nil
    }
}

/// Whether a grant still works.
public enum GrantState: String, Codable, Sendable {
    /// Its tokens worked when last used.
    case alive
    /// DrChrono refused it (revoked, or its refresh token expired): only it is set aside;
    /// the practice's other logins go on.
    case dead
}

extension Profile {
    /// The vault of the grant `name` (`grants/NAME/tokens.vault`), sealed like the profile's.
    public func grantVault(_ name: String) -> TokenVault { TokenVault(directory: directory.grant(name), keySource: vault.keySource) }

    /// The grants added to this profile, by name.
    public func grants() -> [GrantRecord] { directory.grants() }

    /// Keeps `record` beside its vault.
    public func save(_ record: GrantRecord) throws(ProfileError) {
        let place = directory.grant(record.name)
        try place.prepare()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(record) else { throw .unusable(place.url.path, "could not be written") }
        try place.writeDurably(data, to: GrantRecord.fileName)
    }

    /// Forgets the grant `name`: its tokens and its record.
    public func removeGrant(_ name: String) {
        let place = directory.grant(name)
        grantVault(name).erase()
        place.remove(GrantRecord.fileName)
        rmdir(place.url.path)
    }

    /// A client on the grant `name`, counted against the profile's one request budget;
    /// nil when there is no such grant.
    public func client(
        forGrant name: String, time: any TimeSource = SystemTime(), transport: (any HTTPTransport)? = nil
    ) throws -> DrChronoClient? {
        try client(ifSaved: grantVault(name), time: time, transport: transport)
    }
}

extension ProfileDirectory {
    /// The grants added to this profile, by name.
    public func grants() -> [GrantRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: file("grants").path)) ?? []
        return names.sorted().compactMap(grantRecord)
    }

    /// The grant `name`'s record; nil when there is none.
    public func grantRecord(_ name: String) -> GrantRecord? {
        grant(name).read(GrantRecord.fileName).flatMap { try? JSONDecoder().decode(GrantRecord.self, from: $0) }
    }
}
