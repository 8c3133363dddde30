import Foundation

/// One HTTP request as the client sends it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(String, String)]
    public var body: Data?
    /// The most of an answer's body to read; past it the request fails (``TransportError/tooLarge(_:)``).
    public var maxBodyBytes: Int?

    public init(method: String = "GET", url: URL, headers: [(String, String)] = [], body: Data? = nil, maxBodyBytes: Int? = nil) {
        (self.method, self.url, self.headers, self.body, self.maxBodyBytes) = (method, url, headers, body, maxBodyBytes)
    }

    public func header(_ name: String) -> String? {
        headers.last { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }
}

/// One HTTP answer.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        (self.status, self.headers, self.body) = (status, headers, body)
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body parsed as JSON, or nil when it is not JSON.
    public var json: JSONValue? { try? JSONValue.parse(body) }
}

/// Why a request got no HTTP answer.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection was never made: nothing reached the server, so retrying is safe.
    case couldNotConnect(String)
    /// The connection broke or timed out after the request may have been sent: a write
    /// may or may not have happened.
    case connectionLost(String)
    case timedOut(String)
    /// The server's certificate could not be verified.
    case tls(String)
    /// The answer's body passed the request's `maxBodyBytes` (the limit): reading stopped.
    case tooLarge(Int)
    case other(String)

    /// Whether the server may have received (and acted on) the request.
    public var mayHaveReachedServer: Bool {
        switch self {
        case .couldNotConnect, .tls: false
        case .connectionLost, .timedOut, .tooLarge, .other: true
        }
    }

    public var description: String {
        switch self {
        case .couldNotConnect(let m): "could not connect: \(m)"
        case .connectionLost(let m): "the connection was lost: \(m)"
        case .timedOut(let m): "timed out: \(m)"
        case .tls(let m): "the secure connection failed: \(m)"
        case .tooLarge(let limit): "the answer is larger than \(limit / 1_048_576) MB"
        case .other(let m): m
        }
    }
}

/// Sends HTTP requests. ``CurlTransport`` is the real one.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
    /// The longest one request may take, connecting included, before it is given up.
    var longestRequest: TimeInterval { get }
}

extension HTTPTransport {
    public var longestRequest: TimeInterval { 60 }
}
