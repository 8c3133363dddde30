import DrChronoAPI
import Foundation

extension SandboxState {
    /// `/o/authorize/` and `/o/token/`.
    func oauthEndpoint(_ request: SandboxRequest) -> SandboxResponse {
        let path = request.path.hasSuffix("/") ? request.path : request.path + "/"
        switch (path, request.method) {
        case ("/o/authorize/", "GET"):
            // A sandbox has no login page: it approves at once, as a provider who is
            // already signed in and clicks "Authorize" would. Signed in as the practice's
            // first user, or as `sandbox_user=USERNAME` (one of ``Practice/staff``): the
            // stand-in for another person signing in to DrChrono in their own browser.
            guard let redirect = request.query["redirect_uri"], !redirect.isEmpty,
                let url = URL(string: redirect), url.scheme != nil
            else {
                return SandboxResponse(
                    status: 400, headers: [("Content-Type", "text/plain; charset=utf-8")],
                    body: Array("redirect_uri is missing or not an absolute URL.".utf8))
            }
            var items: [String] = []
            if request.query["response_type"] != "code" {
                items.append("error=unsupported_response_type")
            } else if let user = practice.staffId(named: request.query["sandbox_user"]),
                let code = oauth.issueCode(
                    client: request.query["client_id"] ?? "", redirectURI: redirect, scope: request.query["scope"], now: nowSeconds,
                    user: user)
            {
                items.append("code=" + code)
            } else {
                items.append("error=access_denied")
            }
            if let state = request.query["state"] {
                items.append("state=" + (state.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
            let separator = redirect.contains("?") ? "&" : "?"
            return SandboxResponse(status: 302, headers: [("Location", redirect + separator + items.joined(separator: "&"))], body: [])
        case ("/o/token/", "POST"):
            let form: [String: String]
            let type = (request.header("content-type") ?? "").lowercased()
            if type.hasPrefix("application/json") {
                guard case .object(let object)? = try? JSONValue.parse(Data(request.body)) else {
                    return OAuthGrants.TokenError.invalidRequest("the body is not a JSON object").response
                }
                form = Dictionary(uniqueKeysWithValues: object.pairs.compactMap { pair in pair.value.stringValue.map { (pair.key, $0) } })
            } else {
                form = FormDecoding.urlEncoded(Substring(String(decoding: request.body, as: UTF8.self)))
            }
            switch oauth.token(form: form, now: nowSeconds) {
            case .success(let answer): return .json(200, answer)
            case .failure(let error): return error.response
            }
        case ("/o/authorize/", _), ("/o/token/", _):
            return .methodNotAllowed(request.method)
        default:
            return .notFound
        }
    }
}
