import DrChronoAPI
import Foundation
import SandboxTestSupport
import Testing

/// The real `chronoterm sandbox` binary, as a person starts it.
@Suite("chronoterm sandbox, the command")
struct SandboxCommandTests {
    static var binary: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/chronoterm")
    }

    func run(_ arguments: [String]) throws -> (process: Process, output: Pipe, errors: Pipe) {
        let process = Process()
        process.executableURL = SandboxCommandTests.binary
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    @Test("--port 0 picks a free port, says where it listens, and serves DrChrono's API there")
    func servesOnAFreePort() async throws {
        let (process, output, _) = try run(["sandbox", "--port", "0", "--seed", "3"])
        defer { process.terminate(); process.waitUntilExit() }
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("Press Ctrl-C") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let line = try #require(text.split(separator: "\n").first { $0.contains("listening on") })
        let url = try #require(line.split(separator: " ").last.flatMap { URL(string: String($0)) })
        #expect(url.port != 8765 && url.port != 0)
        #expect(text.contains("client id sandbox-client, secret sandbox-secret"))
        let answer = try await CurlTransport().send(HTTPRequest(url: url.appendingPathComponent("api/doctors")))
        #expect(answer.status == 401, "DrChrono's API, asking for a token")
    }

    @Test("bad options are refused with a message that says what to do")
    func refusesBadOptions() throws {
        for (arguments, message) in [
            (["sandbox", "--faults", "5xx=3"], "between 0 and 1"),
            (["sandbox", "--webhook", "http://127.0.0.1:9/hooks"], "--webhook and --webhook-secret go together"),
            (["sandbox", "--size", "huge"], "small"),
            (["sandbox", "--time-zone", "Mars/Olympus"], "Unknown time zone"),
        ] {
            let (process, _, errors) = try run(arguments)
            process.waitUntilExit()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus != 0, "\(arguments)")
            #expect(text.contains(message), "\(arguments): \(text)")
        }
    }

    @Test("--help explains the sandbox, its credentials and its faults")
    func help() throws {
        let (process, output, _) = try run(["sandbox", "--help"])
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        for phrase in ["sandbox-client", "--faults", "--limits", "/_sandbox/", "--webhook-secret"] { #expect(text.contains(phrase), "\(phrase)") }
    }
}
