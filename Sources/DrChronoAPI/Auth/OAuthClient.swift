import Foundation

/// Where a DrChrono (or sandbox) lives. `https://app.drchrono.com` for a real practice.
public struct DrChronoServer: Sendable, Equatable {
    public var baseURL: URL
    public static let production = DrChronoServer(baseURL: URL(string: "https://app.drchrono.com")!)

    public init(baseURL: URL) { self.baseURL = baseURL }

    public func url(_ path: String) -> URL {
        URL(string: baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path)!
    }
}

/// An API application registered with DrChrono: its client id and secret.
public struct OAuthApplication: Sendable, Equatable {
    public var clientId: String
    public var clientSecret: String
    public var redirectURI: String

    public init(clientId: String, clientSecret: String, redirectURI: String) {
        (self.clientId, self.clientSecret, self.redirectURI) = (clientId, clientSecret, redirectURI)
    }
}

/// The OAuth 2.0 authorization-code flow against `/o/authorize/` and `/o/token/`.
public struct OAuthClient: Sendable {
    public let server: DrChronoServer
    public let application: OAuthApplication
    let transport: any HTTPTransport

    public init(server: DrChronoServer, application: OAuthApplication, transport: any HTTPTransport = CurlTransport()) {
        (self.server, self.application, self.transport) = (server, application, transport)
    }

    /// The page a person opens to approve chronoterm, asking for `scopes` only.
    public func authorizeURL(scopes: [String], state: String) -> URL {
        var components = URLComponents(url: server.url("/o/authorize/"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "redirect_uri", value: application.redirectURI),
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: application.clientId),
            URLQueryItem(name: "scope", value: scopes.joined(separator: " ")),
            URLQueryItem(name: "state", value: state),
        ]
        return components.url!
    }

    /// The code in the address DrChrono sent the browser to, checking the state.
    public static func code(fromRedirect address: String, state: String) throws(LoginError) -> String {
        let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let items = URLComponents(string: trimmed)?.queryItems, !items.isEmpty else { throw .notARedirect }
        if let error = items.first(where: { $0.name == "error" })?.value {
            throw error == "access_denied" ? .denied : .provider(error)
        }
        guard items.first(where: { $0.name == "state" })?.value == state else { throw .stateMismatch }
        guard let code = items.first(where: { $0.name == "code" })?.value, !code.isEmpty else { throw .notARedirect }
        return code
    }

    public func exchange(code: String, now: Date) async throws(APIError) -> TokenSet {
        try await tokenRequest(
            [
                "grant_type": "authorization_code", "code": code, "redirect_uri": application.redirectURI,
                "client_id": application.clientId, "client_secret": application.clientSecret,
            ], now: now)
    }

    public func refresh(_ tokens: TokenSet, now: Date) async throws(APIError) -> TokenSet {
        try await tokenRequest(
            [
                "grant_type": "refresh_token", "refresh_token": tokens.refreshToken,
                "client_id": application.clientId, "client_secret": application.clientSecret,
            ], now: now)
    }

    private func tokenRequest(_ form: [String: String], now: Date) async throws(APIError) -> TokenSet {
        let body = form.keys.sorted().map { "\($0)=\(FormEncoding.escape(form[$0]!))" }.joined(separator: "&")
        let request = HTTPRequest(
            method: "POST", url: server.url("/o/token/"),
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Data(body.utf8))
        let response: HTTPResponse
        do { response = try await transport.send(request) } catch { throw .unavailable(error.description) }
        let json = response.json?.objectValue
        switch response.status {
        case 200:
            guard let access = json?.string("access_token"), let refresh = json?.string("refresh_token") else {
                throw .unexpected("a token answer without tokens")
            }
            let lifetime = json?.double("expires_in") ?? 172_800
            return TokenSet(
                accessToken: access, refreshToken: refresh, expiresAt: now.addingTimeInterval(lifetime),
                scope: json?.string("scope") ?? "", clientSecret: application.clientSecret)
        case 400, 401:
            let error = json?.string("error") ?? "invalid_request"
            if error == "invalid_client" { throw .loginRequired("the client id or secret is wrong") }
            throw .loginRequired(error == "invalid_grant" ? "the grant was revoked or has expired" : error)
        case 500...:
            throw .unavailable("DrChrono's sign-in is failing on its side (server error \(response.status)); try again in a few minutes")
        default:
            throw .unexpected(
                "the sign-in gave an answer it never gives (HTTP \(response.status)); check that --server is a DrChrono address")
        }
    }
}

public enum LoginError: Error, Equatable, CustomStringConvertible {
    case notARedirect, denied, stateMismatch
    case provider(String)
    case listener(String)

    public var description: String {
        switch self {
        case .notARedirect:
            "That is not the address DrChrono sent you to. Copy the whole address from the browser's address bar, starting with http."
        case .denied: "Access was not granted in DrChrono. Run `chronoterm login` again and choose Authorize."
        case .stateMismatch: "That address belongs to another login attempt. Use the address from this attempt's link."
        case .provider(let error): "DrChrono refused the login: \(error)."
        case .listener(let why): "Could not wait for the browser on this machine (\(why)). Use `chronoterm login --paste` instead."
        }
    }
}

enum FormEncoding {
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
