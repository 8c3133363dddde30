import DrChronoAPI
import Foundation

/// One HTTP request as the sandbox's handlers see it, free of the server framework.
struct SandboxRequest: Sendable {
    var method: String
    /// The path without its query, percent-decoded.
    var path: String
    /// Query parameters; a repeated key keeps its first value, as Django's `GET[key]` does.
    var query: [String: String]
    /// Header names lower-cased.
    var headers: [String: String]
    var body: [UInt8]

    var queryString: String = ""
    /// The practice's user whose grant the request came with (set once it is checked).
    var user = 1

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// One HTTP answer. An `Error` too, so a handler can return early with `Result`.
struct SandboxResponse: Sendable, Error {
    var status: Int
    var headers: [(String, String)] = [("Content-Type", "application/json")]
    var body: [UInt8] = []
    /// Close the connection once the head is sent, as a dying load balancer would after
    /// the write was committed: the client cannot tell whether it happened.
    var dropConnection = false
    /// For a list answer, how many rows it carries (for the request counters).
    var listedRows: Int?
    /// For a list answer, the ids of its rows (for the activity's staleness report).
    var servedIds: [Int]?

    static func json(_ status: Int, _ value: JSONValue) -> SandboxResponse {
        SandboxResponse(status: status, body: Array(value.serialized))
    }

    /// `{"detail": "…"}`, how Django REST framework answers 401, 403, 404, 405 and 429.
    static func detail(_ status: Int, _ message: String) -> SandboxResponse {
        json(status, .object(["detail": .string(message)]))
    }

    /// `{"field": ["message"]}`, DRF's 400.
    static func fieldErrors(_ errors: FieldErrors) -> SandboxResponse {
        json(400, errors.json)
    }

    static let noContent = SandboxResponse(status: 204, headers: [], body: [])
    static let notFound = detail(404, "Not found.")
    static func methodNotAllowed(_ method: String) -> SandboxResponse { detail(405, "Method \"\(method)\" not allowed.") }
}

/// Validation errors by field, in the order found.
struct FieldErrors: Error, Sendable {
    private(set) var fields: [(String, [String])] = []

    var isEmpty: Bool { fields.isEmpty }

    mutating func add(_ field: String, _ message: String) {
        if let index = fields.firstIndex(where: { $0.0 == field }) {
            fields[index].1.append(message)
        } else {
            fields.append((field, [message]))
        }
    }

    func has(_ field: String) -> Bool { fields.contains { $0.0 == field } }

    var json: JSONValue {
        var o = JSONObject()
        for (field, messages) in fields { o[field] = .array(messages.map { .string($0) }) }
        return .object(o)
    }
}

enum FormDecoding {
    /// `a=1&b=two+words` → ["a": "1", "b": "two words"]; the first value of a repeated key wins.
    static func urlEncoded(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if result[key] == nil { result[key] = value }
        }
        return result
    }

    static func decode(_ text: Substring) -> String {
        let plusless = text.replacingOccurrences(of: "+", with: " ")
        return plusless.removingPercentEncoding ?? plusless
    }
}

/// One part of a `multipart/form-data` body.
struct MultipartPart: Sendable {
    var name: String
    var fileName: String?
    var contentType: String?
    var data: [UInt8]
}

enum Multipart {
    /// Splits a multipart body by the boundary named in `contentType`. Returns nil when
    /// the body is not well-formed multipart, which the caller answers with a 400.
    static func parse(_ body: [UInt8], contentType: String) -> [MultipartPart]? {
        guard let boundaryRange = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[boundaryRange.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard !boundary.isEmpty else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [MultipartPart] = []
        var positions: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            positions.append(found)
            index = found + delimiter.count
        }
        guard positions.count >= 2 else { return nil }
        for (start, end) in zip(positions, positions.dropFirst()) {
            var partStart = start + delimiter.count
            if partStart + 1 < body.count, body[partStart] == 13, body[partStart + 1] == 10 { partStart += 2 }
            var partEnd = end
            if partEnd >= 2, body[partEnd - 2] == 13, body[partEnd - 1] == 10 { partEnd -= 2 }
            guard partStart <= partEnd, let headerEnd = find([13, 10, 13, 10], in: body, from: partStart), headerEnd <= partEnd else {
                return nil
            }
            let headerText = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            var name: String?
            var fileName: String?
            var type: String?
            for line in headerText.split(separator: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = parameter("name", in: String(line))
                    fileName = parameter("filename", in: String(line))
                } else if lower.hasPrefix("content-type:") {
                    type = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            guard let name else { return nil }
            parts.append(MultipartPart(name: name, fileName: fileName, contentType: type, data: Array(body[(headerEnd + 4)..<partEnd])))
        }
        return parts
    }

    private static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("\(key)=") {
                return String(trimmed.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
