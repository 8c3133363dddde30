import Foundation

/// What a login leaves behind: the grant's tokens and the app's secret.
public struct TokenSet: Codable, Sendable, Equatable {
    public var accessToken: String
    public var refreshToken: String
    /// When the access token stops working, by this machine's clock.
    public var expiresAt: Date
    public var scope: String
    public var clientSecret: String

    public init(accessToken: String, refreshToken: String, expiresAt: Date, scope: String, clientSecret: String) {
        (self.accessToken, self.refreshToken, self.expiresAt, self.scope, self.clientSecret) = (
            accessToken, refreshToken, expiresAt, scope, clientSecret
        )
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresAt = "expires_at"
        case scope
        case clientSecret = "client_secret"
    }

    /// Whether the access token should be refreshed before use: within `margin` of expiry.
    public func needsRefresh(at now: Date, margin: TimeInterval = 300) -> Bool {
        expiresAt.timeIntervalSince(now) < margin
    }
}

extension TokenSet: CustomStringConvertible {
    /// Never the tokens themselves: this is what ends up in logs by accident.
    public var description: String { "TokenSet(expires \(expiresAt), scope \(scope))" }
}
