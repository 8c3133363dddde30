import Crypto
import DrChronoAPI
import Foundation

/// What a preview hands back to be confirmed: the job and its exact input, for one
/// person, until a short expiry, sealed with this server's own key. `confirm` queues
/// the job it names — not anything the agent sends with it — so an altered token,
/// another person's, an expired one or one used already queues nothing.
struct ConfirmationToken: Sendable, Equatable {
    var tool: AgentTool
    var arguments: JSONObject
    var person: String
    var expires: Date
    var nonce: String

    /// How long a preview's token stays good.
    static let lifetime: TimeInterval = 300

    /// The token as text: the sealed content, a dot, its seal.
    func sealed(with key: SymmetricKey) -> String {
        let content = Self.base64URL(payload.serialized)
        let seal = HMAC<SHA256>.authenticationCode(for: Data(content.utf8), using: key)
        return content + "." + Self.base64URL(Data(seal))
    }

    /// The token `text` names, if its seal is this server's and it is whole.
    static func open(_ text: String, with key: SymmetricKey) -> ConfirmationToken? {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".")
        guard parts.count == 2, let seal = data(fromBase64URL: String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(seal, authenticating: Data(parts[0].utf8), using: key),
            let content = data(fromBase64URL: String(parts[0])), let object = (try? JSONValue.parse(content))?.objectValue,
            let tool = object.string("tool").flatMap(AgentTool.init(rawValue:)), let arguments = object["arguments"]?.objectValue,
            let person = object.string("person"), let expires = object["expires"]?.doubleValue, let nonce = object.string("nonce")
        else { return nil }
        return ConfirmationToken(
            tool: tool, arguments: arguments, person: person, expires: Date(timeIntervalSince1970: expires), nonce: nonce)
    }

    private var payload: JSONValue {
        .object([
            "tool": .string(tool.rawValue), "arguments": .object(arguments), "person": .string(person),
            "expires": .double(expires.timeIntervalSince1970.rounded()), "nonce": .string(nonce),
        ])
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(fromBase64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
