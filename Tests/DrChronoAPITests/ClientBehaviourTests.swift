import DrChronoAPI
import DrChronoSandbox
import Foundation
import SandboxHarness
import Testing

@Suite("The client under DrChrono's limits")
struct ClientLimitTests {
    @Test("paging fast through many lists, the client alone never causes a 429 and stays under 10 a second")
    func neverCausesBurst429() async throws {
        try await withSandbox({ $0.limitsEnabled = true }) { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            _ = try await sandbox.admin("DELETE", "requests")
            var rows = 0
            var expected = 0
            var pages = 0
            for resource in ["patients", "line_items", "clinical_notes"] {
                for try await page in logged.client.pages("/api/\(resource)", query: ["page_size": "15"]) { rows += page.count }
                let stored = try await sandbox.adminJSON("records/\(resource)").int("count") ?? 0
                expected += stored
                pages += (stored + 14) / 15
            }
            let counters = try await sandbox.adminJSON("requests")
            #expect(rows == expected)
            #expect(counters.int("total") == pages, "one request a page, nothing refused and retried")
            #expect(counters["by_status"]?.objectValue?["429"] == nil)
            // The client spaces requests at 8 a second; arrival jitter may shift one into
            // the next second at the server, never to DrChrono's 10.
            #expect((counters.int("busiest_second") ?? 99) < 10, "kept under DrChrono's 10 a second")
        }
    }

    @Test("background work that outruns the hour waits for the top of the hour instead of hitting 429")
    func waitsForTheHour() async throws {
        try await withSandbox({
            $0.limitsEnabled = true; $0.hourlyLimit = 12
        }) { sandbox in
            var policy = BudgetPolicy()
            policy.hourly = 12; policy.interactiveReserve = 2; policy.writeReserve = 2
            let logged = try await LoggedInClient.make(sandbox, time: SandboxTime(sandbox), policy: policy)
            try await sandbox.freezeClock()
            let start = try await sandbox.now()
            for _ in 0..<20 { _ = try await logged.client.json(.get("/api/doctors"), priority: .background) }
            let counters = try await sandbox.adminJSON("requests")
            #expect(counters["by_status"]?.objectValue?["429"] == nil)
            let waited = try await sandbox.now().timeIntervalSince(start)
            #expect(waited >= 3600 - 1800 && waited < 3 * 3600, "it waited into the next hour (and no longer than needed)")
        }
    }

    @Test("background work leaves the reserve for a person's action")
    func reservesHold() async throws {
        try await withSandbox { sandbox in
            var policy = BudgetPolicy()
            policy.hourly = 10; policy.interactiveReserve = 3; policy.writeReserve = 2
            let logged = try await LoggedInClient.make(sandbox, policy: policy)
            for _ in 0..<5 { _ = try await logged.client.json(.get("/api/doctors"), priority: .background) }
            #expect(await logged.budget.remaining(for: .background) == 0)
            await #expect(throws: APIError.self) { _ = try await logged.budget.acquire(.background, waitForNextHour: false) }
            for _ in 0..<2 { _ = try await logged.client.json(.get("/api/offices"), priority: .write) }
            for _ in 0..<3 { _ = try await logged.client.json(.get("/api/offices"), priority: .interactive) }
            do {
                _ = try await logged.client.json(.get("/api/offices"), priority: .interactive)
                Issue.record("an 11th request went out")
            } catch {
                #expect("\(error)".contains("hourly request limit"), "\(error)")
            }
        }
    }

    @Test("when another program spent the hour, the client waits for the next hour after one confirming 429 — no loop")
    func recoversWhenBudgetSpentElsewhere() async throws {
        try await withSandbox({
            $0.limitsEnabled = true; $0.hourlyLimit = 5
        }) { sandbox in
            let logged = try await LoggedInClient.make(sandbox, time: SandboxTime(sandbox))
            try await sandbox.freezeClock()
            let other = try await sandbox.token()
            for path in ["/api/doctors", "/api/offices", "/api/allergies", "/api/problems", "/api/medications"] {
                #expect(try await sandbox.send("GET", path, token: other).status == 200)
            }
            let interactive = await #expect(throws: APIError.self) {
                _ = try await logged.client.json(.get("/api/doctors"), priority: .interactive)
            }
            if case .budgetExhausted(let resetsAt)? = interactive {
                #expect(resetsAt.timeIntervalSince1970.truncatingRemainder(dividingBy: 3600) == 0, "resets at the top of an hour")
            } else {
                Issue.record("expected budgetExhausted, got \(String(describing: interactive))")
            }
            #expect(try await sandbox.count("GET /api/doctors") == 3, "one call by the other program, two 429s for us")
            _ = try await logged.client.json(.get("/api/doctors"), priority: .background)
            let statuses = try await sandbox.adminJSON("requests")["by_status"]?.objectValue
            #expect(statuses?.int("429") == 2, "no further 429: the wait was for the next hour")
        }
    }
}

@Suite("The client when DrChrono fails")
struct ClientFailureTests {
    func booking(_ marker: String) -> JSONValue {
        [
            "doctor": 101, "office": 1, "exam_room": 1, "patient": 10001, "scheduled_time": "2026-03-07T09:00:00", "duration": 30,
            "notes": .string(marker),
        ]
    }

    @Test("reads retry a 5xx with backoff, and give up after four tries with a message")
    func readsRetry() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "5xx=1") }) { sandbox in
            let time = RecordingTime()
            let logged = try await LoggedInClient.make(sandbox, time: time)
            do {
                _ = try await logged.client.json(.get("/api/doctors"))
                Issue.record("a 5xx read succeeded")
            } catch {
                #expect("\(error)".contains("cannot be reached"), "\(error)")
            }
            #expect(try await sandbox.count("GET /api/doctors") == 4)
            let sleeps = await time.sleeps
            #expect(sleeps.count == 3)
            #expect(sleeps.allSatisfy { $0 <= 8 }, "capped")
        }
    }

    @Test("reads succeed through intermittent 5xx")
    func readsSurviveIntermittentErrors() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "5xx=0.3") }) { sandbox in
            let logged = try await LoggedInClient.make(sandbox, time: RecordingTime())
            var ids: [Int] = []
            for try await page in logged.client.pages("/api/patients", query: ["page_size": "20"]) {
                ids += page.compactMap { $0.int("id") }
            }
            #expect(ids.count == 200 && Set(ids).count == 200)
        }
    }

    @Test("a POST whose connection dropped after the commit is reported ambiguous and not resent")
    func droppedWriteIsAmbiguous() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "drop=1") }) { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            do {
                _ = try await logged.client.send(.post("/api/appointments", json: booking("drop-3b9e")), priority: .write)
                Issue.record("the write was not reported ambiguous")
            } catch {
                guard case .ambiguous? = error as? APIError else { Issue.record("\(error)"); return }
            }
            #expect(try await sandbox.adminJSON("records/appointments?notes_contains=drop-3b9e").int("count") == 1)
            #expect(try await sandbox.count("POST /api/appointments") == 1)
        }
    }

    @Test("a POST answered 5xx is ambiguous too, and sent once")
    func serverErrorWriteIsAmbiguous() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "5xx=1") }) { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            await #expect(throws: APIError.ambiguous("POST /api/appointments")) {
                _ = try await logged.client.send(.post("/api/appointments", json: booking("5xx-77aa")), priority: .write)
            }
            #expect(try await sandbox.count("POST /api/appointments") == 1)
        }
    }

    @Test("a 302 is replayed with the same method, body and headers; the write happens once")
    func redirectsReplayed() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "redirect=1") }) { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            let made = try await logged.client.json(.post("/api/appointments", json: booking("redirect-5c0f")), priority: .write)
            #expect(made.objectValue?.string("notes") == "redirect-5c0f")
            #expect(try await sandbox.adminJSON("records/appointments?notes_contains=redirect-5c0f").int("count") == 1)
            let doctors = try await logged.client.json(.get("/api/doctors"))
            #expect(doctors.objectValue?["results"]?.arrayValue?.count == 3)
        }
    }

    @Test("DrChrono's 400 and 409 come back as field messages and a conflict")
    func refusals() async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            _ = try await logged.client.send(.post("/api/appointments", json: booking("first")), priority: .write)
            do {
                _ = try await logged.client.send(.post("/api/appointments", json: booking("second")), priority: .write)
                Issue.record("no conflict")
            } catch {
                guard case .conflict(_, let overlapping)? = error as? APIError else { Issue.record("\(error)"); return }
                #expect(overlapping.count == 1)
            }
            do {
                _ = try await logged.client.send(
                    .post("/api/line_items", json: ["appointment": 1, "procedure_type": "C"]), priority: .write)
            } catch {
                guard case .invalid(let fields)? = error as? APIError else { Issue.record("\(error)"); return }
                #expect(fields["code"] == ["This field is required."])
                #expect("\(error)".contains("code: This field is required."))
            }
        }
    }

    @Test("every request carries the pinned API version")
    func versionPinned() async throws {
        try await withSandbox { sandbox in
            let pinned = try await LoggedInClient.make(sandbox)
            _ = try await pinned.client.json(.get("/api/doctors"))
            let other = try await LoggedInClient.make(sandbox, apiVersion: "v2")
            await #expect(throws: APIError.self) { _ = try await other.client.json(.get("/api/doctors")) }
        }
    }

    @Test("a document uploads as multipart")
    func upload() async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            var body = MultipartBody()
            for (name, value) in [("doctor", "101"), ("patient", "10004"), ("description", "Referral letter"), ("date", "2026-03-04")] {
                body.add(field: name, value: value)
            }
            body.add(file: "document", fileName: "referral.pdf", contentType: "application/pdf", contents: Data("%PDF-1.4 referral".utf8))
            let made = try #require(
                try await logged.client.json(.upload("/api/documents", body), priority: .write).objectValue.flatMap(Document.init(json:)))
            #expect(made.description == "Referral letter" && made.patient == 10004)
        }
    }
}

@Suite("Lists: every page and every bulk row, once")
struct ClientListTests {
    @Test("cursor pages of every list arrive once each", arguments: ["patients", "clinical_notes", "line_items", "problems"])
    func pages(resource: String) async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            var ids: [Int] = []
            for try await page in logged.client.pages("/api/\(resource)", query: ["page_size": "33"]) {
                ids += page.compactMap { $0.int("id") }
            }
            let stored = try await sandbox.adminJSON("records/\(resource)").int("count")
            #expect(ids.count == stored && Set(ids).count == ids.count)
            #expect(try await sandbox.count("GET /api/\(resource)") == (ids.count + 32) / 33)
        }
    }

    @Test("a week of appointments, 20 to a page, in scheduled order")
    func appointments() async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox)
            var rows: [Appointment] = []
            for try await page in logged.client.pages("/api/appointments", query: ["date_range": "2026-03-02/2026-03-06"]) {
                #expect(page.count <= 20)
                rows += page.compactMap(Appointment.init(json:))
            }
            #expect(rows.count > 100 && Set(rows.map(\.id)).count == rows.count)
            #expect(rows.compactMap(\.scheduledTime) == rows.compactMap(\.scheduledTime).sorted())
        }
    }

    @Test("a bulk list is polled until complete and yields every row once")
    func bulk() async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox, time: RecordingTime())
            var patients: [Patient] = []
            for try await page in logged.client.bulk("patients", pageSize: 64) { patients += page.compactMap(Patient.init(json:)) }
            #expect(patients.count == 200 && Set(patients.map(\.id)).count == 200)
        }
    }

    @Test("a bulk uuid that expired is asked for again, and rows already seen are not repeated")
    func bulkExpiry() async throws {
        try await withSandbox { sandbox in
            let logged = try await LoggedInClient.make(sandbox, time: RecordingTime(), transport: ExpiringBulkTransport(sandbox))
            var ids: [Int] = []
            for try await page in logged.client.bulk("patients", pageSize: 50) { ids += page.compactMap { $0.int("id") } }
            #expect(ids.count == 200 && Set(ids).count == 200)
            #expect(try await sandbox.count("POST /api/patients_list") == 2, "asked again once the first uuid expired")
        }
    }
}

/// A time source that records how long the client asked to sleep, and does not sleep.
actor RecordingTime: TimeSource {
    private(set) var sleeps: [TimeInterval] = []
    func now() async -> Date { Date() }
    func sleep(seconds: TimeInterval) async throws {
        sleeps.append(seconds)
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 0.02) * 1_000_000_000))
    }
}

/// A transport that, once the first page of bulk results has arrived, moves the
/// sandbox clock past the uuid's hour: as if the client had been slow to page on.
actor ExpiringBulkTransport: HTTPTransport {
    let sandbox: RunningSandbox
    let inner = CurlTransport()
    var jumped = false
    init(_ sandbox: RunningSandbox) { self.sandbox = sandbox }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let response = try await inner.send(request)
        if !jumped, request.url.absoluteString.contains("uuid="), response.json?.objectValue?.string("status") == "Complete" {
            jumped = true
            try? await sandbox.advanceClock(seconds: 3700)
        }
        return response
    }
}

@Suite("The client when DrChrono cannot be reached")
struct ClientOfflineTests {
    @Test("a read to a server that refuses connections retries with capped, jittered backoff, then says DrChrono cannot be reached")
    func refused() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-offline-\(UUID().uuidString)")
        let profile = ProfileDirectory(name: "offline", root: root)
        try profile.prepare()
        let keyFile = root.appendingPathComponent("key")
        try Data(repeating: 1, count: 32).write(to: keyFile)
        chmod(keyFile.path, 0o600)  // a key file others can read is refused
        let vault = TokenVault(directory: profile, keySource: .keyFile(keyFile))
        try vault.save(
            TokenSet(accessToken: "a", refreshToken: "r", expiresAt: Date().addingTimeInterval(3600), scope: "", clientSecret: "s"))
        let server = DrChronoServer(baseURL: URL(string: "http://127.0.0.1:9")!)
        let time = RecordingTime()
        let oauth = OAuthClient(
            server: server, application: OAuthApplication(clientId: "c", clientSecret: "s", redirectURI: "http://127.0.0.1:9/cb"))
        let client = DrChronoClient(
            server: server, tokens: TokenSession(vault: vault, oauth: oauth, time: time),
            budget: RequestBudget(file: nil, time: time), time: time)
        do {
            _ = try await client.json(.get("/api/doctors"))
            Issue.record("port 9 answered")
        } catch {
            #expect(error.description.contains("cannot be reached"))
        }
        let sleeps = await time.sleeps
        #expect(sleeps.count == 3, "four tries in all")
        #expect(sleeps.enumerated().allSatisfy { attempt, delay in delay >= 0 && delay <= min(8, 0.5 * pow(2, Double(attempt))) })
        #expect(await client.budgetRemaining() == BudgetPolicy().hourly - 4, "each try counted against the hour")
    }
}
