import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

@Suite("DrChrono's request limits: 500 an hour in a fixed window, 10 a second")
struct LimitTests {
    @Test("eleven quick calls to one endpoint: the burst throttle answers 429 with a detail and no Retry-After")
    func burst() async throws {
        try await withSandbox({ $0.limitsEnabled = true }) { sandbox in
            let token = try await sandbox.token()
            try await sandbox.freezeClock()
            var answers: [HTTPResponse] = []
            for _ in 0..<11 { answers.append(try await sandbox.send("GET", "/api/doctors", token: token)) }
            let throttled = answers.filter { $0.status == 429 }
            #expect(!throttled.isEmpty)
            #expect(answers.prefix(10).allSatisfy { $0.status == 200 }, "ten within a second are still served")
            #expect(throttled.first?.json?.objectValue?.string("detail") == "Request was throttled.")
            #expect(throttled.first?.header("retry-after") == nil)
            #expect(try await sandbox.send("GET", "/api/offices", token: token).status == 200, "other endpoints are not held up")
            try await sandbox.advanceClock(seconds: 1)
            #expect(try await sandbox.send("GET", "/api/doctors", token: token).status == 200, "a second later it serves again")
        }
    }

    @Test("the hourly budget runs out, and comes back at the top of the sandbox hour")
    func hourlyWindow() async throws {
        try await withSandbox({
            $0.limitsEnabled = true; $0.hourlyLimit = 6
        }) { sandbox in
            let token = try await sandbox.token()
            try await sandbox.freezeClock()
            let paths = [
                "/api/doctors", "/api/offices", "/api/appointment_profiles", "/api/users/current", "/api/allergies", "/api/problems",
            ]
            for path in paths { #expect(try await sandbox.send("GET", path, token: token).status == 200) }
            let over = try await sandbox.send("GET", "/api/medications", token: token)
            #expect(over.status == 429)
            #expect(try await sandbox.adminJSON("limits").int("remaining_this_hour") == 0)
            // 10:30 → 11:00 is the top of the hour; 29 minutes is not enough.
            try await sandbox.advanceClock(seconds: 29 * 60)
            #expect(try await sandbox.send("GET", "/api/medications", token: token).status == 429)
            try await sandbox.advanceClock(seconds: 60)
            #expect(try await sandbox.send("GET", "/api/medications", token: token).status == 200)
        }
    }

    @Test("with limits off, nothing is throttled")
    func limitsOff() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            try await sandbox.freezeClock()
            _ = try await sandbox.admin("DELETE", "requests")
            for _ in 0..<25 { #expect(try await sandbox.send("GET", "/api/doctors", token: token).status == 200) }
            let counters = try await sandbox.adminJSON("requests")
            #expect(counters["by_status"]?.objectValue?["429"] == nil)
            #expect(counters.int("busiest_second") == 25, "all 25 in one (frozen) second, none refused")
        }
    }
}
