import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

/// The real `chronoterm sandbox` binary, as a person starts it.
@Suite("chronoterm sandbox, the command")
struct SandboxCommandTests {
    func run(_ arguments: [String]) throws -> (process: ChildProcess, output: Pipe, errors: Pipe) {
        try Chronoterm.start(arguments)
    }

    @Test("--port 0 picks a free port, says where it listens, and serves DrChrono's API there")
    func servesOnAFreePort() async throws {
        let (process, output, _) = try run(["sandbox", "--port", "0", "--seed", "3"])
        defer { process.terminate(); process.waitUntilExit() }
        let text = await Chronoterm.read(output, until: "Press Ctrl-C")
        let line = try #require(text.split(separator: "\n").first { $0.contains("listening on") })
        let url = try #require(line.split(separator: " ").last.flatMap { URL(string: String($0)) })
        #expect(url.port != 8765 && url.port != 0)
        #expect(text.contains("client id sandbox-client, secret sandbox-secret"))
        let answer = try await CurlTransport().send(HTTPRequest(url: url.appendingPathComponent("api/doctors")))
        #expect(answer.status == 401, "DrChrono's API, asking for a token")
    }

    @Test("bad options are refused with a message that says what to do")
    func refusesBadOptions() async throws {
        for (arguments, message) in [
            (["sandbox", "--faults", "5xx=3"], "between 0 and 1"),
            (["sandbox", "--webhook", "http://127.0.0.1:9/hooks"], "--webhook and --webhook-secret go together"),
            (["sandbox", "--size", "huge"], "small"),
            (["sandbox", "--time-zone", "Mars/Olympus"], "Unknown time zone"),
        ] {
            let result = try await Chronoterm.run(arguments)
            let text = result.errors
            #expect(result.status != 0, "\(arguments)")
            #expect(text.contains(message), "\(arguments): \(text)")
        }
    }

    @Test("--help explains the sandbox, its credentials and its faults")
    func help() async throws {
        let text = try await Chronoterm.run(["sandbox", "--help"]).output
        for phrase in ["sandbox-client", "--faults", "--limits", "/_sandbox/", "--webhook-secret"] {
            #expect(text.contains(phrase), "\(phrase)")
        }
    }
}
