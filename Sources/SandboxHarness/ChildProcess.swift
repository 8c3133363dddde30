import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A program the tests or the harness start: `posix_spawn`, its own descriptors only, its
/// signals as a new process expects them.
///
/// Not Foundation's `Process`: on Linux its `run()` looks for the highest open descriptor
/// by copying 256 bytes out of each /proc/self/fd entry, past the end of the short ones
/// (swift-corelibs-foundation#5472), and a test process that starts hundreds of programs
/// beside hundreds of open sockets now and then crashes there (CI, 2026-12-07).
public final class ChildProcess: Sendable {
    /// The child's process id.
    public let processIdentifier: pid_t
    /// Its wait status, once reaped.
    private let reaped = Mutex<Int32?>(nil)
    /// What must live as long as the child: the pipes its output goes to, which would
    /// otherwise close their reading ends when the caller lets go of them, and a child
    /// writing to a pipe nobody reads any more dies of SIGPIPE. Only held, never used.
    private nonisolated(unsafe) let kept: [AnyObject]

    /// Starts `executable` (a path, or a name looked up on PATH) with `arguments`. Standard input, output and error are the
    /// given descriptors (duplicated into the child) or /dev/null; the environment is
    /// this process's unless `environment` is given. `keeping` is held until the child
    /// is let go of (its pipes, say).
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: Int32? = nil, output: Int32? = nil,
        errors: Int32? = nil, keeping: [AnyObject] = []
    ) throws {
        kept = keeping
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, target, flags) in [(input, Int32(0), O_RDONLY), (output, 1, O_WRONLY), (errors, 2, O_WRONLY)] {
            if let descriptor {
                posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", flags, 0)
            }
        }
        _ = ChildProcess.closeFrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        ChildSignals.reset(&attributes)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let variables = environment ?? ProcessInfo.processInfo.environment
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        // Looked up on PATH when it names no folder (`tmux`), as a shell would.
        let code = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else {
            throw ChildProcessError(description: "\(executable) could not be started: \(String(cString: strerror(code)))")
        }
        processIdentifier = pid
    }

    /// Whether it has not exited yet (it is reaped here once it has).
    public var isRunning: Bool {
        reaped.withLock { status in
            guard status == nil else { return false }
            var raw: Int32 = 0
            let answer = waitpid(processIdentifier, &raw, WNOHANG)
            if answer == processIdentifier {
                status = raw
            } else if answer == -1 && errno == ECHILD {
                // Reaped by someone else: gone, its status unknown.
                status = -1
            }
            return status == nil
        }
    }

    /// Its exit code; 128 plus the signal's number if a signal ended it, as a shell says.
    public var terminationStatus: Int32 {
        let raw = reaped.withLock { $0 } ?? 0
        if raw == -1 { return -1 }
        return (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    /// Asks it to stop (SIGTERM).
    public func terminate() { _ = kill(processIdentifier, SIGTERM) }

    /// Waits until it has exited.
    public func waitUntilExit() {
        while isRunning { usleep(10_000) }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34), looked up at run time
    /// because Swift's Glibc module does not export it: the child closes every
    /// descriptor from the given one up.
    public static let closeFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32 =
        unsafeBitCast(dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")!, to: CloseFrom.self)
    public typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    deinit {
        // A child nobody waited for is reaped here if it has exited, not left a zombie.
        _ = isRunning
    }
}

/// A program that could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
}
