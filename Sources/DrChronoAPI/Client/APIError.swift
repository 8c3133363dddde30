import Foundation

/// Why a DrChrono request did not succeed, in words for the person at the desk.
public enum APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The grant is gone (revoked, or the refresh token refused): only a new login helps.
    case loginRequired(String)
    /// The token lacks a scope, or the user lacks the permission in DrChrono.
    case forbidden(String)
    case notFound(String)
    /// DrChrono refused the input: its messages per field (`non_field_errors` for the rest).
    case invalid([String: [String]])
    /// 409: the appointment overlaps another, or the patient already exists.
    case conflict(String, overlapping: [String])
    /// The hourly budget for this kind of work is spent; it comes back at `resetsAt`.
    case budgetExhausted(resetsAt: Date)
    /// A write may or may not have reached DrChrono: the connection broke after sending,
    /// or DrChrono failed mid-way. It must be reconciled, never blindly resent.
    case ambiguous(String)
    /// DrChrono could not be reached, or kept failing, after the retries allowed.
    case unavailable(String)
    /// An answer that is not what DrChrono sends (not JSON, a missing field …).
    case unexpected(String)
    /// Something that must be on disk before a request goes could not be saved (the
    /// disk is full): a refreshed login's new tokens, or the request's place in the
    /// practice's budget. Nothing was sent; the message says what to do.
    case cannotSave(String)

    public var description: String {
        switch self {
        case .loginRequired(let why): "DrChrono no longer accepts this login (\(why)). Run `chronoterm login` to sign in again."
        case .forbidden(let detail):
            "DrChrono refused: \(detail) Ask the practice's DrChrono administrator for access, or log in with the scope needed."
        case .notFound(let what): "DrChrono has nothing at \(what); it may have been deleted."
        case .invalid(let fields):
            "DrChrono did not accept this: "
                + fields.keys.sorted().map { key in
                    let messages = fields[key]!.joined(separator: " ")
                    return key == "non_field_errors" ? messages : "\(key.replacingOccurrences(of: "_", with: " ")): \(messages)"
                }.joined(separator: "; ")
        case .conflict(let detail, _): detail
        case .budgetExhausted(let resetsAt):
            "DrChrono's hourly request limit for this practice is used up; it resets at \(APIError.clockTime(resetsAt)). Your work is kept and goes out then."
        case .ambiguous(let what):
            "It is not known whether DrChrono received \(what): the connection broke after it was sent. It will be checked before anything is sent again."
        case .unavailable(let why): "DrChrono cannot be reached (\(why)). chronoterm keeps working from its local copy."
        case .unexpected(let what): "DrChrono answered in a way chronoterm does not understand: \(what)"
        case .cannotSave(let why): why
        }
    }

    static func clockTime(_ date: Date) -> String {
        let local = LocalDateTime(date, in: .current)
        return String(format: "%02d:%02d", local.hour, local.minute)
    }

    /// DRF's error body as field messages.
    static func fields(from body: JSONValue?) -> [String: [String]] {
        guard let object = body?.objectValue else { return ["non_field_errors": ["DrChrono refused the request."]] }
        var fields: [String: [String]] = [:]
        for (key, value) in object.pairs {
            switch value {
            case .array(let items): fields[key] = items.compactMap(\.stringValue)
            case .string(let text): fields[key] = [text]
            default: fields[key] = [value.serializedString]
            }
        }
        return fields
    }
}
