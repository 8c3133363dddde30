import CCurl
import Foundation

/// HTTP over libcurl: connection reuse, timeouts, TLS verified against the system's
/// CA store, proxies from the environment (`https_proxy`, `no_proxy`), gzip.
///
/// Redirects are not followed here: DrChrono's 302s must be replayed with the same
/// method, body and headers, which the API client does itself.
public struct CurlTransport: HTTPTransport {
    public var connectTimeout: Duration
    public var totalTimeout: Duration
    private let pool: CurlHandlePool

    public init(connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(60)) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        pool = CurlHandlePool()
    }

    /// CURLOPT_TIMEOUT bounds the whole request, connecting included.
    public var longestRequest: TimeInterval { Double(totalTimeout.components.seconds) + Double(totalTimeout.components.attoseconds) / 1e18 }

    /// libcurl's set-up (its TLS library's with it: 2 MiB resident), done at the first
    /// request rather than when a transport is made: a console standing by while another
    /// process syncs makes one and may never send anything.
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        _ = CurlTransport.globalInit
        let handle = await pool.take()
        let connectMs = Int(connectTimeout.components.seconds * 1000 + connectTimeout.components.attoseconds / 1_000_000_000_000_000)
        let totalMs = Int(totalTimeout.components.seconds * 1000 + totalTimeout.components.attoseconds / 1_000_000_000_000_000)
        // curl_easy_perform blocks, so it gets a thread of its own: on Swift's
        // cooperative pool or libdispatch's CPU-wide queue it would starve other work.
        let result: Result<HTTPResponse, TransportError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: handle.perform(request, connectMs: connectMs, totalMs: totalMs))
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        await pool.give(handle)
        return try result.get()
    }
}

/// Idle curl handles, kept so their connections are reused.
actor CurlHandlePool {
    private var idle: [CurlHandle] = []

    func take() -> CurlHandle { idle.popLast() ?? CurlHandle() }

    func give(_ handle: CurlHandle) {
        if idle.count < 8 { idle.append(handle) }
    }
}

/// One curl easy handle. Used by one request at a time: the pool hands it out and
/// takes it back, so it is never shared between threads at once.
final class CurlHandle: @unchecked Sendable {
    private let easy: UnsafeMutableRawPointer

    init() { easy = curl_easy_init() }
    deinit { curl_easy_cleanup(easy) }

    func perform(_ request: HTTPRequest, connectMs: Int, totalMs: Int) -> Result<HTTPResponse, TransportError> {
        curl_easy_reset(easy)
        let sink = ResponseSink()
        sink.limit = request.maxBodyBytes
        let sinkPointer = Unmanaged.passRetained(sink)
        defer { sinkPointer.release() }

        chronoterm_curl_setopt_string(easy, CURLOPT_URL, request.url.absoluteString)
        chronoterm_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        chronoterm_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, connectMs)
        chronoterm_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, totalMs)
        chronoterm_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        chronoterm_curl_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        chronoterm_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, sinkPointer.toOpaque())
        chronoterm_curl_setopt_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            if let limit = sink.limit, sink.body.count + size * count > limit {
                sink.overLimit = true
                return 0  // curl stops reading: CURLE_WRITE_ERROR
            }
            sink.body.append(UnsafeRawPointer(data!).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        }
        chronoterm_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, sinkPointer.toOpaque())
        chronoterm_curl_setopt_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            sink.headerLine(line)
            return size * count
        }

        if !["GET", "HEAD", "OPTIONS"].contains(request.method) {
            // libcurl silently re-sends a request whose reused connection turns out to
            // be dead. For a write that could book an appointment twice, so a write
            // always goes out on a fresh connection, which curl never replays.
            chronoterm_curl_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)
        }
        switch request.method {
        case "GET": chronoterm_curl_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD": chronoterm_curl_setopt_long(easy, CURLOPT_NOBODY, 1)
        case "POST": chronoterm_curl_setopt_long(easy, CURLOPT_POST, 1)
        default: chronoterm_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let body = request.body ?? (request.method == "POST" ? Data() : nil) {
            chronoterm_curl_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies, so the body need not outlive this call.
                _ = chronoterm_curl_setopt_pointer(
                    easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
        }

        var headerList: UnsafeMutablePointer<curl_slist>?
        var headers = request.headers
        // curl adds "Expect: 100-continue" to large bodies, costing a round trip.
        headers.append(("Expect", ""))
        for (name, value) in headers {
            headerList = curl_slist_append(headerList, value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        chronoterm_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
        defer { curl_slist_free_all(headerList) }

        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code = errorBuffer.withUnsafeMutableBytes { buffer -> CURLcode in
            chronoterm_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            return curl_easy_perform(easy)
        }
        if sink.overLimit, let limit = sink.limit { return .failure(.tooLarge(limit)) }
        guard code == CURLE_OK else {
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .failure(CurlHandle.error(for: code, message: message))
        }
        var status = 0
        chronoterm_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: sink.headers, body: sink.body))
    }

    static func error(for code: CURLcode, message: String) -> TransportError {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_URL_MALFORMAT,
            CURLE_UNSUPPORTED_PROTOCOL:
            .couldNotConnect(message)
        case CURLE_OPERATION_TIMEDOUT: .timedOut(message)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE: .connectionLost(message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: .tls(message)
        default: .other(message)
        }
    }
}

/// Collects one response's head and body while curl reads it.
private final class ResponseSink {
    var body = Data()
    var limit: Int?
    var overLimit = false
    var headers: [String: String] = [:]

    func headerLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") { headers = [:]; return }  // a new response (after 100 Continue)
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].lowercased()
        headers[name] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
