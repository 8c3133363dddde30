import DrChronoAPI
import Foundation

/// A position in a listing: the sort key and id of the last row of the previous page.
/// Keyset positions rather than offsets, so a row created while a client pages
/// neither repeats nor shifts what follows.
struct Cursor: Equatable {
    var key: Int
    var id: Int

    var encoded: String {
        Data("\(key):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    init(key: Int, id: Int) { (self.key, self.id) = (key, id) }

    init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let key = Int(parts[0]), let id = Int(parts[1]) else { return nil }
        (self.key, self.id) = (key, id)
    }
}

/// Page size and position asked for by a list request.
struct Listing {
    var pageSize: Int
    var after: Cursor?
    /// `verbose=true`: the rows carry what DrChrono sends only then (an appointment's vitals).
    var verbose = false

    /// DrChrono's caps: 250 a page, 20 for appointments, 25 with `verbose=true`.
    static func parse(_ request: SandboxRequest, cap: Int) -> Result<Listing, SandboxResponse> {
        var cap = cap
        let verbose = request.query["verbose"]?.lowercased() == "true"
        if verbose { cap = min(cap, 25) }
        var size = cap
        if let asked = request.query["page_size"].flatMap({ Int($0) }), asked > 0 { size = min(asked, cap) }
        var after: Cursor?
        if let text = request.query["cursor"], !text.isEmpty {
            guard let cursor = Cursor(encoded: text) else { return .failure(.detail(404, "Invalid cursor")) }
            after = cursor
        }
        return .success(Listing(pageSize: size, after: after, verbose: verbose))
    }
}

extension SandboxState {
    /// `{previous, next, results}` for rows already in listing order.
    func page(_ request: SandboxRequest, rows: some Sequence<JSONValue>, lastCursor: Cursor?, hasMore: Bool) -> SandboxResponse {
        var body = JSONObject()
        let results = Array(rows)
        body["previous"] = .null
        body["next"] = hasMore && lastCursor != nil ? .string(nextURL(request, cursor: lastCursor!)) : .null
        body["results"] = .array(results)
        var response = SandboxResponse.json(200, .object(body))
        response.listedRows = results.count
        response.servedIds = results.compactMap { $0.objectValue?["id"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } } }
        return response
    }

    func nextURL(_ request: SandboxRequest, cursor: Cursor) -> String {
        var items = request.queryString.split(separator: "&").filter { !$0.hasPrefix("cursor=") }.map(String.init)
        items.append("cursor=" + cursor.encoded)
        return baseURL(request) + request.path + "?" + items.joined(separator: "&")
    }

    /// One page of a table in id order, keeping the rows `include` accepts and the
    /// asker's token sees.
    func pageById<R>(
        _ request: SandboxRequest, _ table: Table<R>, cap: Int = 250, id: (R) -> Int,
        include: (R) -> Bool, json: (R) -> JSONValue
    ) -> SandboxResponse {
        let listing: Listing
        switch Listing.parse(request, cap: cap) {
        case .success(let value): listing = value
        case .failure(let response): return response
        }
        var rows: [R] = []
        // Filtered before paging, as DrChrono's querysets are: a token that sees one
        // doctor pages through that doctor's rows, not the practice's.
        let visible = practice.visibility(of: request.user)
        for row in table.rows(after: listing.after?.id) where include(row) && visible.admits(row) {
            rows.append(row)
            if rows.count > listing.pageSize { break }
        }
        let hasMore = rows.count > listing.pageSize
        if hasMore { rows.removeLast() }
        return page(request, rows: rows.map(json), lastCursor: rows.last.map { Cursor(key: 0, id: id($0)) }, hasMore: hasMore)
    }
}

/// Query-string filters with DRF/django-filter's messages for bad values.
struct QueryFilters {
    let query: [String: String]
    var errors = FieldErrors()

    init(_ query: [String: String]) { self.query = query }

    mutating func int(_ name: String) -> Int? {
        guard let text = query[name], !text.isEmpty else { return nil }
        guard let value = Int(text) else { errors.add(name, "Enter a number."); return nil }
        return value
    }

    mutating func date(_ name: String) -> LocalDateTime? {
        guard let text = query[name], !text.isEmpty else { return nil }
        guard text.count == 10, let value = LocalDateTime(text) else { errors.add(name, "Enter a valid date."); return nil }
        return value
    }

    /// A date or a date and time, as `since` takes.
    mutating func dateTime(_ name: String) -> LocalDateTime? {
        guard let text = query[name], !text.isEmpty else { return nil }
        guard let value = LocalDateTime(text) else { errors.add(name, "Enter a valid date/time."); return nil }
        return value
    }

    /// `YYYY-MM-DD/YYYY-MM-DD`, both days included.
    mutating func dateRange(_ name: String, maxDays: Int?) -> ClosedRange<LocalDateTime>? {
        guard let text = query[name], !text.isEmpty else { return nil }
        let parts = text.split(separator: "/").map(String.init)
        guard parts.count == 2, let start = LocalDateTime(parts[0]), let end = LocalDateTime(parts[1]), start <= end else {
            errors.add(name, "Enter a date range as YYYY-MM-DD/YYYY-MM-DD, the start not after the end.")
            return nil
        }
        if let maxDays, end.dayNumber - start.dayNumber > maxDays {
            errors.add(name, "Date range must be \(maxDays) days or fewer.")
            return nil
        }
        return start.startOfDay...end.startOfDay.adding(seconds: 86_399)
    }

    func string(_ name: String) -> String? { query[name].flatMap { $0.isEmpty ? nil : $0 } }

    func flag(_ name: String) -> Bool { ["true", "1", "yes"].contains(query[name]?.lowercased() ?? "") }
}
