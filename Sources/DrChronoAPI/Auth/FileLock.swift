import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive advisory lock on a file, held across processes: how two consoles on one
/// profile take turns refreshing a token or spending the request budget.
public struct FileLock: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Runs `body` while holding the lock. Waiting for the lock happens on a thread of
    /// its own, never on Swift's cooperative pool.
    public func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let fd = try await acquire()
        defer { flock(fd, LOCK_UN); close(fd) }
        return try await body()
    }

    /// Runs a short synchronous `body` while holding the lock.
    public func withLockSync<T>(_ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw FileLockError.cannotOpen(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw FileLockError.cannotOpen(path, String(cString: strerror(errno))) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private func acquire() async throws -> Int32 {
        let path = self.path
        let result: Result<Int32, FileLockError> = await withCheckedContinuation { continuation in
            Thread {
                let fd = open(path, O_RDWR | O_CREAT, 0o600)
                guard fd >= 0 else { continuation.resume(returning: .failure(.cannotOpen(path, String(cString: strerror(errno))))); return }
                while flock(fd, LOCK_EX) != 0 {
                    if errno != EINTR {
                        close(fd)
                        continuation.resume(returning: .failure(.cannotOpen(path, String(cString: strerror(errno)))))
                        return
                    }
                }
                continuation.resume(returning: .success(fd))
            }.start()
        }
        return try result.get()
    }
}

public enum FileLockError: Error, CustomStringConvertible {
    case cannotOpen(String, String)
    public var description: String {
        switch self {
        case .cannotOpen(let path, let why): "could not lock \(path): \(why)"
        }
    }
}
