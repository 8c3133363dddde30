import Foundation
import SandboxHarness

/// The built `chronoterm` binary, run as a person runs it.
///
/// Reading a child's pipes and waiting for it block, so they happen on threads of
/// their own: on Swift's cooperative pool they would starve the in-process sandbox the
/// child is talking to.
enum Chronoterm {
    /// `.build/debug/chronoterm`, or the build `CHRONOTERM_TEST_BINARY` names: the
    /// end-to-end tests run against the release build as `make release` links it with
    /// `CHRONOTERM_TEST_BINARY=.build/release/chronoterm swift test --filter chronotermTests`.
    static var binary: URL {
        if let other = ProcessInfo.processInfo.environment["CHRONOTERM_TEST_BINARY"], !other.isEmpty {
            return URL(fileURLWithPath: other)
        }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/chronoterm")
    }

    static func start(_ arguments: [String], environment: [String: String] = [:], input: Pipe? = nil) throws -> (
        process: ChildProcess, output: Pipe, errors: Pipe
    ) {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SSH_CONNECTION")
        for (key, value) in environment { env[key] = value }
        let output = Pipe()
        let errors = Pipe()
        let process = try ChildProcess(
            binary.path, arguments, environment: env, input: input?.fileHandleForReading.fileDescriptor,
            output: output.fileHandleForWriting.fileDescriptor, errors: errors.fileHandleForWriting.fileDescriptor,
            keeping: [output, errors])
        // The child has its own copies: the read ends see the end of its output when it
        // exits, and its input ends when the test closes the writing end.
        try? output.fileHandleForWriting.close()
        try? errors.fileHandleForWriting.close()
        try? input?.fileHandleForReading.close()
        return (process, output, errors)
    }

    /// Runs to the end; answers the exit status, standard output and standard error.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (
        status: Int32, output: String, errors: String
    ) {
        let (process, output, errors) = try start(arguments, environment: environment)
        async let out = readToEnd(output)
        async let err = readToEnd(errors)
        let (o, e) = await (out, err)
        await waitForExit(process)
        return (process.terminationStatus, o, e)
    }

    /// Runs a program (`ssh`, as a person runs it, or chronoterm) to the end, its output
    /// in files, as a ``ChildProcess``: not Foundation's `Process`, which with an sshd and
    /// consoles over SSH among the test's children missed exits and waited on a zombie for
    /// ever.
    static func runProgram(_ command: [String], environment: [String: String] = [:]) async throws -> (
        status: Int32, output: String, errors: String
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-test-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (out, err) = (folder.appendingPathComponent("out").path, folder.appendingPathComponent("err").path)
        let files = [out, err].map { (path: String) -> Int32 in open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }
        defer { for file in files where file >= 0 { close(file) } }
        guard files.allSatisfy({ $0 >= 0 }) else { throw SpawnError(command: command[0], code: errno) }
        let child = try ChildProcess(
            command[0], Array(command.dropFirst()), environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            output: files[0], errors: files[1])
        await onThread { child.waitUntilExit() }
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return (child.terminationStatus, read(out), read(err))
    }

    struct SpawnError: Error, CustomStringConvertible {
        var command: String
        var code: Int32
        var description: String { "could not start \(command): \(String(cString: strerror(code)))" }
    }

    /// Reads until the writer closes, then closes the read end: the child keeps its pipes
    /// alive as long as it is held, and a test process that gathers hundreds of open read
    /// ends runs out of room for what it opens next (and, where Foundation's `Process` is
    /// still used, crashes in its scan of /proc/self/fd).
    static func readToEnd(_ pipe: Pipe) async -> String {
        await onThread {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            try? pipe.fileHandleForReading.close()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Reads until the text read so far contains `marker` (or the pipe closes).
    static func read(_ pipe: Pipe, until marker: String) async -> String {
        await onThread {
            var text = ""
            while !text.contains(marker) {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
    }

    /// Waits for `process` to end. Not with `waitUntilExit`, which spins a run loop — a
    /// whole core per waiter — and, with a dozen waiters on two cores, starved the
    /// in-process sandbox the children were waiting on: Foundation's own monitor thread
    /// marks the exit, so a sleep between looks is enough.
    static func waitForExit(_ process: ChildProcess) async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
    }

    /// A private profile ("desk") logged in to `sandbox` with `chronoterm login --paste`:
    /// the environment to run further commands in.
    static func loggedIn(to sandbox: RunningSandbox) async throws -> [String: String] {
        let env = try AccountCommandTests().environment()
        _ = try await AccountCommandTests().logIn(sandbox, env)
        return env
    }

    private static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
