import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Waits on `127.0.0.1:PORT` for the one request the browser makes after the person
/// approves chronoterm in DrChrono, and answers it with a page saying they can close it.
///
/// A single accept on a plain socket: no server framework, and nothing listening
/// once the code has arrived.
public final class LoopbackRedirect: @unchecked Sendable {
    public let port: Int
    private let socketFD: Int32

    /// Binds now (port 0 picks a free one), so the redirect URI is known before the
    /// browser is opened.
    public init(port: Int = 0) throws(LoginError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .listener(String(cString: strerror(errno))) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 4) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw .listener("port \(port): \(why)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socketFD = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
    }

    deinit { close(socketFD) }

    public var redirectURI: String { "http://127.0.0.1:\(port)/callback" }

    /// The address the browser was sent to (`http://127.0.0.1:PORT/callback?code=…`),
    /// or nil after `timeout` seconds.
    public func waitForRedirect(timeout: TimeInterval) async -> String? {
        let fd = socketFD
        let port = self.port
        return await withCheckedContinuation { continuation in
            Thread {
                let deadline = Date().addingTimeInterval(timeout)
                while Date() < deadline {
                    var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    guard poll(&poller, 1, 200) > 0 else { continue }
                    let client = accept(fd, nil, nil)
                    guard client >= 0 else { continue }
                    var buffer = [UInt8](repeating: 0, count: 8192)
                    let count = read(client, &buffer, buffer.count)
                    let head = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
                    // "GET /callback?code=… HTTP/1.1"
                    let target = head.split(separator: "\r\n").first?.split(separator: " ").dropFirst().first.map(String.init)
                    let page =
                        target?.contains("code=") == true
                        ? "<h1>chronoterm is signed in</h1><p>You can close this tab and return to the terminal.</p>"
                        : "<h1>chronoterm was not signed in</h1><p>Return to the terminal for what to do.</p>"
                    let answer =
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(page.utf8.count)\r\nConnection: close\r\n\r\n\(page)"
                    _ = answer.withCString { write(client, $0, strlen($0)) }
                    close(client)
                    if let target, target.hasPrefix("/callback") {
                        continuation.resume(returning: "http://127.0.0.1:\(port)\(target)")
                        return
                    }
                }
                continuation.resume(returning: nil)
            }.start()
        }
    }
}
