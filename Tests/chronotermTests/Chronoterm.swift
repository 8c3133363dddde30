import Foundation
import SandboxTestSupport

/// The built `chronoterm` binary, run as a person runs it.
///
/// Reading a child's pipes and waiting for it block, so they happen on threads of
/// their own: on Swift's cooperative pool they would starve the in-process sandbox the
/// child is talking to.
enum Chronoterm {
    static var binary: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/chronoterm")
    }

    static func start(_ arguments: [String], environment: [String: String] = [:], input: Pipe? = nil) throws -> (
        process: Process, output: Pipe, errors: Pipe
    ) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SSH_CONNECTION")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
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

    static func readToEnd(_ pipe: Pipe) async -> String {
        await onThread { String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
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

    static func waitForExit(_ process: Process) async {
        await onThread { process.waitUntilExit() }
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
