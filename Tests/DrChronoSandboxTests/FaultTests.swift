import DrChronoAPI
import DrChronoSandbox
import Foundation
import SandboxHarness
import Testing

@Suite("Fault injection: DrChrono having a bad day")
struct FaultTests {
    @Test("5xx=1: every API request answers a server error, and nothing is written")
    func serverErrors() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "5xx=1") }) { sandbox in
            let token = try await sandbox.token()
            let answer = try await sandbox.send("GET", "/api/doctors", token: token)
            #expect([500, 502, 503].contains(answer.status))
            var booking = WriteTests.booking().objectValue!
            booking["notes"] = "never-written-9c1d"
            let write = try await sandbox.send("POST", "/api/appointments", token: token, json: .object(booking))
            #expect([500, 502, 503].contains(write.status))
            #expect(try await sandbox.adminJSON("records/appointments?notes_contains=never-written-9c1d").int("count") == 0)
        }
    }

    @Test("drop=1: the write is committed, then the connection dies before an answer — the ambiguous write")
    func dropAfterCommit() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "drop=1") }) { sandbox in
            let token = try await sandbox.token()
            var booking = WriteTests.booking().objectValue!
            booking["notes"] = "queue-marker-7f3a"
            do {
                let answer = try await sandbox.send("POST", "/api/appointments", token: token, json: .object(booking))
                Issue.record("expected the connection to drop, got HTTP \(answer.status)")
            } catch let error as TransportError {
                #expect(error.mayHaveReachedServer, "\(error)")
            }
            let stored = try await sandbox.adminJSON("records/appointments?notes_contains=queue-marker-7f3a")
            #expect(stored.int("count") == 1, "the write happened although the client heard nothing")
            #expect(try await sandbox.send("GET", "/api/doctors", token: token).status == 200, "reads are not dropped")
        }
    }

    @Test("redirect=1: a 302 to an equivalent URL, which answers when replayed with the same method and body")
    func redirects() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "redirect=1") }) { sandbox in
            let token = try await sandbox.token()
            var booking = WriteTests.booking().objectValue!
            booking["notes"] = "redirect-marker-41b2"
            let first = try await sandbox.send("POST", "/api/appointments", token: token, json: .object(booking))
            #expect(first.status == 302)
            let location = try #require(first.header("location"))
            #expect(location == sandbox.base.absoluteString + "/api/appointments/")
            #expect(
                try await sandbox.adminJSON("records/appointments?notes_contains=redirect-marker-41b2").int("count") == 0,
                "a redirected write did not happen")
            let replayed = try await sandbox.send("POST", location, token: token, json: .object(booking))
            #expect(replayed.status == 201)
            #expect(try await sandbox.adminJSON("records/appointments?notes_contains=redirect-marker-41b2").int("count") == 1)
            let get = try await sandbox.send("GET", "/api/patients", query: ["page_size": "5"], token: token)
            #expect(get.status == 302 && get.header("location")!.hasSuffix("/api/patients/?page_size=5"))
        }
    }

    @Test("429=1 and expire=1 answer as throttled and as an expired token")
    func throttleAndExpiry() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "429=1") }) { sandbox in
            let token = try await sandbox.token()
            #expect(try await sandbox.send("GET", "/api/doctors", token: token).status == 429)
            #expect(try await sandbox.admin("PUT", "faults", ["spec": "expire=1"]).status == 200)
            #expect(try await sandbox.send("GET", "/api/doctors", token: token).status == 401)
            #expect(try await sandbox.admin("PUT", "faults", ["spec": "none"]).status == 200)
            #expect(try await sandbox.send("GET", "/api/doctors", token: token).status == 401, "the token stays expired")
            #expect(try await sandbox.send("GET", "/api/doctors", token: try await sandbox.token()).status == 200)
        }
    }

    @Test("latency delays answers by at least what was asked")
    func latency() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "latency=300ms") }) { sandbox in
            let token = try await sandbox.token()
            let clock = ContinuousClock()
            let started = clock.now
            #expect(try await sandbox.send("GET", "/api/doctors", token: token).status == 200)
            #expect(clock.now - started >= .milliseconds(300))
        }
    }

    @Test("token-lifetime shortens tokens issued afterwards")
    func tokenLifetime() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "token-lifetime=60") }) { sandbox in
            let grant = try await sandbox.authorize()
            #expect(grant.int("expires_in") == 60)
            try await sandbox.advanceClock(seconds: 61)
            #expect(try await sandbox.send("GET", "/api/doctors", token: grant.string("access_token")).status == 401)
        }
    }

    @Test("fault specs parse, print back, and refuse nonsense with a message that says how")
    func faultSpecs() throws {
        let spec = try FaultSpec(parsing: "latency=50-400ms, 5xx=0.1,drop=0.05,redirect=0.2,429=0.3,expire=0.01,token-lifetime=3600")
        #expect(spec.description == "latency=50-400ms,5xx=0.1,drop=0.05,redirect=0.2,429=0.3,expire=0.01,token-lifetime=3600")
        #expect(try FaultSpec(parsing: "none") == FaultSpec())
        #expect(throws: FaultSpec.ParseError.self) { try FaultSpec(parsing: "5xx=2") }
        #expect(throws: FaultSpec.ParseError.self) { try FaultSpec(parsing: "gremlins=0.5") }
        #expect(throws: FaultSpec.ParseError.self) { try FaultSpec(parsing: "latency=slow") }
        do { _ = try FaultSpec(parsing: "5xx") } catch { #expect(error.description.contains("5xx=0.1")) }
    }

    @Test("PUT /_sandbox/faults refuses a bad spec with a 400 that names the problem")
    func adminFaults() async throws {
        try await withSandbox { sandbox in
            let bad = try await sandbox.admin("PUT", "faults", ["spec": "5xx=lots"])
            #expect(bad.status == 400)
            #expect(bad.json?.objectValue?.string("detail")?.contains("between 0 and 1") == true)
            #expect(try await sandbox.adminJSON("faults").string("spec") == "none")
        }
    }
}
