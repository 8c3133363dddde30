import DrChronoAPI
import Foundation

/// The sandbox's OAuth 2.0 provider state: one-time codes, access and refresh tokens.
///
/// Behaves as DrChrono documents: a code works once and only for a minute; an access
/// token lives 48 hours of sandbox time; a refresh rotates both tokens, after which the
/// old refresh token and the old access token are refused.
struct OAuthGrants: Sendable {
    struct Client: Sendable { var id: String; var secret: String }

    struct Code: Sendable {
        var client: String, redirectURI: String, scopes: Set<String>, expires: Int
        /// The practice's user who signed in and approved (``Practice/staff``).
        var user = 1
    }

    struct Grant: Sendable {
        var client: String
        var scopes: Set<String>
        var accessToken: String
        var accessExpires: Int  // sandbox epoch seconds
        var refreshToken: String
        var revoked = false
        var user = 1
    }

    static let allScopes: Set<String> = Set(
        [
            "user", "calendar", "patients", "patients:summary", "billing", "billing:patient-payment", "clinical", "labs", "messages",
            "tasks", "settings",
        ]
        .flatMap { ["\($0):read", "\($0):write"] })

    var clients: [String: Client] = ["sandbox-client": Client(id: "sandbox-client", secret: "sandbox-secret")]
    var accessTokenLifetime = 172_800
    var codeLifetime = 60
    private var codes: [String: Code] = [:]
    private var grants: [Int: Grant] = [:]
    private var grantByAccess: [String: Int] = [:]
    private var grantByRefresh: [String: Int] = [:]
    private var nextGrant = 1

    enum TokenError: Error, Equatable {
        case invalidClient, invalidGrant, unsupportedGrantType
        case invalidRequest(String)

        var response: SandboxResponse {
            switch self {
            case .invalidClient: .json(401, ["error": "invalid_client"])
            case .invalidGrant: .json(400, ["error": "invalid_grant"])
            case .unsupportedGrantType: .json(400, ["error": "unsupported_grant_type"])
            case .invalidRequest(let what): .json(400, .object(["error": "invalid_request", "error_description": .string(what)]))
            }
        }
    }

    enum AccessCheck: Equatable {
        case granted(client: String, scopes: Set<String>, user: Int)
        case expired, unknown
    }

    mutating func issueCode(client: String, redirectURI: String, scope: String?, now: Int, user: Int = 1) -> String? {
        guard clients[client] != nil else { return nil }
        let code = OAuthGrants.randomToken(30)
        codes[code] = Code(
            client: client, redirectURI: redirectURI, scopes: OAuthGrants.scopes(from: scope), expires: now + codeLifetime, user: user)
        return code
    }

    /// The `/o/token/` endpoint, for both grant types.
    mutating func token(form: [String: String], now: Int) -> Result<JSONValue, TokenError> {
        guard let grantType = form["grant_type"] else { return .failure(.invalidRequest("grant_type is required")) }
        guard let clientId = form["client_id"], let client = clients[clientId] else { return .failure(.invalidClient) }
        guard let secret = form["client_secret"], ConstantTime.equals(secret, client.secret) else { return .failure(.invalidClient) }
        switch grantType {
        case "authorization_code":
            guard let code = form["code"], let issued = codes.removeValue(forKey: code) else { return .failure(.invalidGrant) }
            guard issued.client == clientId, issued.expires > now, issued.redirectURI == (form["redirect_uri"] ?? "") else {
                return .failure(.invalidGrant)
            }
            let id = nextGrant
            nextGrant += 1
            let grant = Grant(
                client: clientId, scopes: issued.scopes, accessToken: OAuthGrants.randomToken(30),
                accessExpires: now + accessTokenLifetime, refreshToken: OAuthGrants.randomToken(30), user: issued.user)
            store(grant, id: id)
            return .success(answer(for: grant))
        case "refresh_token":
            guard let refresh = form["refresh_token"], let id = grantByRefresh[refresh], var grant = grants[id],
                !grant.revoked, grant.client == clientId
            else { return .failure(.invalidGrant) }
            grantByRefresh[grant.refreshToken] = nil
            grantByAccess[grant.accessToken] = nil
            grant.accessToken = OAuthGrants.randomToken(30)
            grant.refreshToken = OAuthGrants.randomToken(30)
            grant.accessExpires = now + accessTokenLifetime
            store(grant, id: id)
            return .success(answer(for: grant))
        default:
            return .failure(.unsupportedGrantType)
        }
    }

    func check(accessToken: String, now: Int) -> AccessCheck {
        guard let id = grantByAccess[accessToken], let grant = grants[id], !grant.revoked else { return .unknown }
        return grant.accessExpires > now ? .granted(client: grant.client, scopes: grant.scopes, user: grant.user) : .expired
    }

    /// Ends every access token now, as if 48 hours had passed; refresh tokens still work.
    mutating func expireAccessTokens(now: Int) -> Int {
        for id in grants.keys { grants[id]?.accessExpires = now }
        return grants.count
    }

    /// Revokes every grant, as a practice administrator removing the app would.
    mutating func revokeAll() -> Int {
        for id in grants.keys { grants[id]?.revoked = true }
        return grants.count
    }

    /// Revokes `user`'s grants alone, as that user removing the app would.
    mutating func revoke(user: Int) -> Int {
        let theirs = grants.filter { $0.value.user == user && !$0.value.revoked }.map(\.key)
        for id in theirs { grants[id]?.revoked = true }
        return theirs.count
    }

    var activeGrants: Int { grants.values.filter { !$0.revoked }.count }

    private mutating func store(_ grant: Grant, id: Int) {
        grants[id] = grant
        grantByAccess[grant.accessToken] = id
        grantByRefresh[grant.refreshToken] = id
    }

    private func answer(for grant: Grant) -> JSONValue {
        .object([
            "access_token": .string(grant.accessToken), "refresh_token": .string(grant.refreshToken),
            "expires_in": .int(accessTokenLifetime), "token_type": "Bearer",
            "scope": .string(grant.scopes.sorted().joined(separator: " ")),
        ])
    }

    /// Space-separated `BASE:read|write` scopes; none given means all of them.
    static func scopes(from text: String?) -> Set<String> {
        let listed = (text ?? "").split(whereSeparator: { $0 == " " || $0 == "+" }).map(String.init)
        return listed.isEmpty ? allScopes : Set(listed)
    }

    static func randomToken(_ length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

}
