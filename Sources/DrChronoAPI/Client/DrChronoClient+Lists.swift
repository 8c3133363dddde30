import Foundation

extension DrChronoClient {
    /// The largest page each list endpoint serves: DrChrono's caps.
    public static func pageSize(for path: String, verbose: Bool = false) -> Int {
        if verbose { return 25 }
        return PathTemplate.of(path).hasPrefix("/api/appointments") ? 20 : 250
    }

    /// The pages of a list, following `next` until it is null. Each page's rows
    /// arrive once, in the server's order; the caller stores a page (and its
    /// bookmark) before asking for the next.
    public nonisolated func pages(_ path: String, query: [String: String] = [:], priority: RequestPriority = .background)
        -> AsyncThrowingStream<[JSONObject], any Error>
    {
        var query = query
        if query["page_size"] == nil {
            query["page_size"] = String(DrChronoClient.pageSize(for: path, verbose: query["verbose"] == "true"))
        }
        let first = Call.get(path, query: query)
        return AsyncThrowingStream { continuation in
            let task = Task {
                var call: Call? = first
                do {
                    while let current = call {
                        let body = try await self.json(current, priority: priority).objectValue ?? [:]
                        continuation.yield(DrChronoClient.rows(of: body))
                        call = body.string("next").flatMap { $0.isEmpty ? nil : Call.get($0) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// A bulk list (`/api/patients_list`, `appointments_list`, `clinical_notes_list`,
    /// `line_items_list`): asks for it, polls its uuid with backoff until it is
    /// complete, then yields its pages. A uuid that expired (DrChrono keeps one an
    /// hour) is asked for again, and rows already yielded are not yielded twice.
    public nonisolated func bulk(
        _ resource: String, query: [String: String] = [:], pageSize: Int = 1000,
        priority: RequestPriority = .background
    ) -> AsyncThrowingStream<[JSONObject], any Error> {
        let path = "/api/\(resource)_list"
        var asked = query
        asked["page_size"] = String(min(pageSize, 1000))
        let query = asked
        return AsyncThrowingStream { continuation in
            let task = Task {
                var seen = Set<String>()
                do {
                    restart: while true {
                        let started = try await self.json(
                            Call(method: "POST", target: path, query: query, isWrite: false), priority: priority)
                        guard let uuid = started.objectValue?.string("uuid") else {
                            throw APIError.unexpected("a bulk list without a uuid")
                        }
                        var call: Call? = .get(path, query: ["uuid": uuid])
                        var wait = 0.5
                        while let current = call {
                            let body: JSONObject
                            do {
                                body = try await self.json(current, priority: priority).objectValue ?? [:]
                            } catch APIError.notFound {
                                continue restart
                            }
                            guard body.string("status") == "Complete" else {
                                try await self.time.sleep(seconds: wait)
                                wait = min(wait * 2, 10)
                                continue
                            }
                            let fresh = DrChronoClient.rows(of: body).filter { row in
                                guard let id = row.string("id") else { return true }
                                return seen.insert(id).inserted
                            }
                            continuation.yield(fresh)
                            call = body.string("next").flatMap { $0.isEmpty ? nil : Call.get($0) }
                        }
                        break
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// `results` as production sends it, or `data` as DrChrono's OpenAPI file names it.
    static func rows(of body: JSONObject) -> [JSONObject] {
        (body["results"]?.arrayValue ?? body["data"]?.arrayValue ?? []).compactMap(\.objectValue)
    }
}
