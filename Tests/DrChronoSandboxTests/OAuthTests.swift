import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

@Suite("OAuth 2.0, as DrChrono's /o/ endpoints behave")
struct OAuthTests {
    @Test("authorize approves at once with a code and keeps the state")
    func authorizeApproves() async throws {
        try await withSandbox { sandbox in
            let answer = try await sandbox.send(
                "GET", "/o/authorize/",
                query: [
                    "client_id": "sandbox-client", "redirect_uri": "http://127.0.0.1:9/callback", "response_type": "code",
                    "scope": "calendar:read patients:read", "state": "xyz123",
                ])
            #expect(answer.status == 302)
            let location = try #require(answer.header("location"))
            #expect(location.hasPrefix("http://127.0.0.1:9/callback?code="))
            #expect(location.contains("state=xyz123"))
        }
    }

    @Test("an unknown client id is sent back with error=access_denied")
    func unknownClientDenied() async throws {
        try await withSandbox { sandbox in
            let answer = try await sandbox.send(
                "GET", "/o/authorize/",
                query: [
                    "client_id": "someone-else", "redirect_uri": "http://127.0.0.1:9/callback", "response_type": "code",
                ])
            #expect(answer.status == 302)
            #expect(answer.header("location") == "http://127.0.0.1:9/callback?error=access_denied")
            let missing = try await sandbox.send("GET", "/o/authorize/", query: ["client_id": "sandbox-client", "response_type": "code"])
            #expect(missing.status == 400)
        }
    }

    @Test("the token answer carries both tokens, Bearer and 48 hours")
    func tokenAnswer() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.authorize(scope: "calendar:read")
            #expect(token.int("expires_in") == 172_800)
            #expect(token.string("token_type") == "Bearer")
            #expect(token.string("scope") == "calendar:read")
            #expect((token.string("access_token") ?? "").count >= 20)
            #expect((token.string("refresh_token") ?? "").count >= 20)
        }
    }

    @Test("a code works once, and not after its minute is up; a JSON token body works too")
    func codesAreSingleUseAndShortLived() async throws {
        try await withSandbox { sandbox in
            func code() async throws -> String {
                let answer = try await sandbox.send(
                    "GET", "/o/authorize/",
                    query: [
                        "client_id": "sandbox-client", "redirect_uri": "http://127.0.0.1:9/cb", "response_type": "code",
                    ])
                return try #require(URLComponents(string: answer.header("location") ?? "")?.queryItems?.first?.value)
            }
            let form = [
                "grant_type": "authorization_code", "redirect_uri": "http://127.0.0.1:9/cb",
                "client_id": "sandbox-client", "client_secret": "sandbox-secret",
            ]
            let first = try await code()
            var body = form; body["code"] = first
            #expect(try await sandbox.send("POST", "/o/token/", form: body).status == 200)
            let reused = try await sandbox.send("POST", "/o/token/", form: body)
            #expect(reused.status == 400)
            #expect(reused.json?.objectValue?.string("error") == "invalid_grant")

            let late = try await code()
            try await sandbox.advanceClock(seconds: 61)
            body["code"] = late
            #expect(try await sandbox.send("POST", "/o/token/", form: body).status == 400)

            let viaJSON = try await code()
            var object = JSONObject()
            for (key, value) in form { object[key] = .string(value) }
            object["code"] = .string(viaJSON)
            #expect(try await sandbox.send("POST", "/o/token/", json: .object(object)).status == 200)
        }
    }

    @Test("a refresh rotates both tokens; the old ones stop working; a wrong secret is refused")
    func refreshRotates() async throws {
        try await withSandbox { sandbox in
            let first = try await sandbox.authorize()
            let refresh = [
                "grant_type": "refresh_token", "refresh_token": first.string("refresh_token")!,
                "client_id": "sandbox-client", "client_secret": "sandbox-secret",
            ]
            let wrongSecret = try await sandbox.send("POST", "/o/token/", form: refresh.merging(["client_secret": "nope"]) { $1 })
            #expect(wrongSecret.status == 401)
            #expect(wrongSecret.json?.objectValue?.string("error") == "invalid_client")

            let second = try #require(try await sandbox.send("POST", "/o/token/", form: refresh).json?.objectValue)
            #expect(second.string("refresh_token") != first.string("refresh_token"))
            #expect(try await sandbox.send("GET", "/api/doctors", token: first.string("access_token")).status == 401)
            #expect(try await sandbox.send("GET", "/api/doctors", token: second.string("access_token")).status == 200)
            #expect(try await sandbox.send("POST", "/o/token/", form: refresh).status == 400, "the rotated-out refresh token")
        }
    }

    @Test("an access token dies after 48 sandbox hours, and a refresh brings the grant back")
    func tokensExpireAfterFortyEightHours() async throws {
        try await withSandbox { sandbox in
            let grant = try await sandbox.authorize()
            let access = grant.string("access_token")!
            try await sandbox.advanceClock(seconds: 47 * 3600)
            #expect(try await sandbox.send("GET", "/api/doctors", token: access).status == 200)
            try await sandbox.advanceClock(seconds: 3600)
            let expired = try await sandbox.send("GET", "/api/doctors", token: access)
            #expect(expired.status == 401)
            #expect(expired.json?.objectValue?["detail"] != nil)
            let renewed = try await sandbox.send(
                "POST", "/o/token/",
                form: [
                    "grant_type": "refresh_token", "refresh_token": grant.string("refresh_token")!,
                    "client_id": "sandbox-client", "client_secret": "sandbox-secret",
                ])
            let fresh = try #require(renewed.json?.objectValue?.string("access_token"))
            #expect(try await sandbox.send("GET", "/api/doctors", token: fresh).status == 200)
        }
    }

    @Test("a token reaches only what its scopes cover")
    func scopesAreEnforced() async throws {
        try await withSandbox { sandbox in
            let billing = try #require(try await sandbox.authorize(scope: "billing:read").string("access_token"))
            #expect(try await sandbox.send("GET", "/api/line_items", token: billing).status == 200)
            let refused = try await sandbox.send("GET", "/api/patients", token: billing)
            #expect(refused.status == 403)
            #expect(refused.json?.objectValue?.string("detail") == "You do not have permission to perform this action.")
        }
    }

    @Test("tokens expired or revoked early through the admin surface")
    func earlyExpiryAndRevocation() async throws {
        try await withSandbox { sandbox in
            let grant = try await sandbox.authorize()
            #expect(try await sandbox.admin("POST", "tokens/expire").status == 200)
            #expect(try await sandbox.send("GET", "/api/doctors", token: grant.string("access_token")).status == 401)
            let refresh = [
                "grant_type": "refresh_token", "refresh_token": grant.string("refresh_token")!,
                "client_id": "sandbox-client", "client_secret": "sandbox-secret",
            ]
            let renewed = try #require(try await sandbox.send("POST", "/o/token/", form: refresh).json?.objectValue)
            #expect(try await sandbox.admin("POST", "tokens/revoke").status == 200)
            #expect(try await sandbox.send("GET", "/api/doctors", token: renewed.string("access_token")).status == 401)
            let afterRevoke = try await sandbox.send(
                "POST", "/o/token/", form: refresh.merging(["refresh_token": renewed.string("refresh_token")!]) { $1 })
            #expect(afterRevoke.status == 400)
        }
    }

    @Test("no token, or a made-up one: 401 with DRF's detail")
    func missingToken() async throws {
        try await withSandbox { sandbox in
            for token in [nil, "not-a-token"] as [String?] {
                let answer = try await sandbox.send("GET", "/api/patients", token: token)
                #expect(answer.status == 401)
                #expect(answer.json?.objectValue?.string("detail") == "Authentication credentials were not provided.")
            }
        }
    }
}
