import DrChronoAPI
import Foundation

/// The admin surface, under `/_sandbox/` only — never `/api/`, so no client can
/// mistake it for DrChrono. Tests and the demo use it to move the clock, edit the
/// practice as a person in the DrChrono web app would, read request counters and set
/// faults. Its requests are neither counted nor throttled.
extension SandboxState {
    static let adminIndex: JSONValue = .object([
        "GET /_sandbox/clock": "the sandbox clock",
        "POST /_sandbox/clock":
            "{\"advance_seconds\": N} or {\"now\": \"YYYY-MM-DDTHH:MM:SS\"}, and/or {\"frozen\": true}; with {\"until_activity\": true} it stops at the next activity event",
        "GET /_sandbox/activity": "the living practice's changes (resource, id, what, at, served_at: when a client first read it)",
        "POST /_sandbox/webhooks/settle": "deliver every webhook due now and answer once each is answered",
        "GET /_sandbox/writes": "every write through the API and the user whose grant made it (DrChrono's audit log)",
        "GET /_sandbox/requests": "request counters", "DELETE /_sandbox/requests": "reset the counters",
        "GET /_sandbox/faults": "the fault spec", "PUT /_sandbox/faults": "{\"spec\": \"5xx=0.1,drop=0.05\"}",
        "GET /_sandbox/limits": "throttle settings",
        "PUT /_sandbox/limits": "{\"enabled\": true, \"hourly\": 500, \"burst\": 10, \"reset\": true}",
        "POST /_sandbox/tokens/expire": "expire every access token now",
        "POST /_sandbox/tokens/revoke": "revoke every grant, or {\"user\": USERNAME}'s",
        "GET /_sandbox/users": "the practice's DrChrono users: primary doctor, provider selection, group, what each sees",
        "PUT /_sandbox/users/{username}":
            "{\"doctor\": ID, \"provider_selection\": BOOL, \"practice_admin\": BOOL, \"practice_group\": N}; a new name adds a user",
        "PUT /_sandbox/practice_group": "{\"share_patients\": BOOL}: whether every user sees every doctor's patients",
        "GET /_sandbox/records/{resource}[/{id}]":
            "rows as stored, deleted ones included; ?updated_since=DATETIME for changed appointments, patients, notes, line items",
        "POST /_sandbox/records/{resource}": "create as the web app would",
        "PATCH /_sandbox/records/{resource}/{id}": "edit as the web app would",
        "DELETE /_sandbox/records/{resource}/{id}": "delete as the web app would",
        "POST /_sandbox/notes/{id}/lock": "sign and lock a clinical note", "POST /_sandbox/notes/{id}/unlock": "unlock it",
        "GET /_sandbox/webhooks": "webhook verification and deliveries",
        "PUT /_sandbox/webhooks": "{\"url\": …, \"secret\": …}: register the webhook, as in DrChrono's settings",
    ])

    func admin(_ request: SandboxRequest) -> SandboxResponse {
        let parts = request.path.split(separator: "/").map(String.init).dropFirst()  // drop "_sandbox"
        let body: JSONObject
        if request.method == "GET" || request.body.isEmpty {
            body = JSONObject()
        } else if case .object(let object)? = try? JSONValue.parse(Data(request.body)) {
            body = object
        } else {
            return .detail(400, "The admin surface takes a JSON object body.")
        }
        let route = AdminPath(method: request.method, parts: Array(parts))
        if route.is("GET") { return .json(200, SandboxState.adminIndex) }
        if route.is("GET", "clock") { return .json(200, clockJSON) }
        if route.is("POST", "clock") {
            var target = now
            if let seconds = body["advance_seconds"]?.doubleValue {
                guard seconds >= 0 else {
                    return .detail(400, "The sandbox clock only moves forward: advance_seconds must not be negative.")
                }
                target += seconds
            } else if let text = body["now"]?.stringValue {
                guard let wall = LocalDateTime(text) else { return .detail(400, "now must read YYYY-MM-DDTHH:MM:SS, in practice time.") }
                target = wall.date(in: timeZone).timeIntervalSince1970
                guard target >= now - 1 else { return .detail(400, "The sandbox clock only moves forward; \(text) is in its past.") }
            } else if body["frozen"] == nil {
                return .detail(400, "Give advance_seconds (a number), now (YYYY-MM-DDTHH:MM:SS, practice time) or frozen (true or false).")
            }
            // A step through the living practice: no further than its next event, so a
            // client on this clock sees each change (and its webhook) at its moment.
            if body["until_activity"]?.boolValue == true, let next = nextActivityTime { target = min(target, max(now, next)) }
            let freeze = body["frozen"]?.boolValue ?? (frozenAt != nil)
            frozenAt = freeze ? target : nil
            clockOffset = target - Date().timeIntervalSince1970
            runActivity()
            return .json(200, clockJSON)
        }
        if let answered = adminAccess(route, body) { return answered }
        if route.is("GET", "requests") { return .json(200, counters.json(timeZone: timeZone)) }
        if route.is("GET", "activity") { return .json(200, activityJSON) }
        if route.is("GET", "writes") { return .json(200, .object(["writes": .array(writeLog)])) }
        if route.is("DELETE", "requests") { counters.reset(); return .noContent }
        if route.is("GET", "faults") { return .json(200, .object(["spec": .string(faults.description)])) }
        if route.is("PUT", "faults") {
            do {
                faults = try FaultSpec(parsing: body["spec"]?.stringValue ?? "")
                if let lifetime = faults.tokenLifetime { oauth.accessTokenLifetime = lifetime }
                return .json(200, .object(["spec": .string(faults.description)]))
            } catch {
                return .detail(400, error.description)
            }
        }
        if route.is("GET", "limits") { return .json(200, limitsJSON) }
        if route.is("PUT", "limits") {
            if let enabled = body["enabled"]?.boolValue { limits.enabled = enabled }
            if let hourly = body["hourly"]?.intValue, hourly > 0 { limits.hourly = hourly }
            if let burst = body["burst"]?.intValue, burst > 0 { limits.burst = burst }
            if body["reset"]?.boolValue == true { limits.reset() }
            return .json(200, limitsJSON)
        }
        if route.is("POST", "tokens", "expire") {
            return .json(200, .object(["expired_grants": .int(oauth.expireAccessTokens(now: nowSeconds))]))
        }
        if route.is("POST", "tokens", "revoke") {
            // One user's grants ({"user": USERNAME}), as that user removing the app would; all without.
            guard let name = body.string("user") else { return .json(200, .object(["revoked_grants": .int(oauth.revokeAll())])) }
            guard let person = practice.staff.first(where: { $0.username == name }) else {
                return .detail(400, "No user is named \(name).")
            }
            return .json(200, .object(["revoked_grants": .int(oauth.revoke(user: person.id))]))
        }
        if route.is("GET", "webhooks") { return .json(200, webhooks.json) }
        if route.is("PUT", "webhooks") {
            // As a practice registers (or changes) its webhook in DrChrono's settings.
            guard let url = body.string("url"), URL(string: url)?.scheme != nil, let secret = body.string("secret"), !secret.isEmpty else {
                return .detail(400, "Give url (an absolute URL) and secret (the webhook's secret token).")
            }
            webhooks = WebhookQueue(url: url, secret: secret)
            return .json(200, webhooks.json)
        }
        if let (id, action) = route.match("POST", "notes", "*", "*").map({ ($0[0], $0[1]) }), action == "lock" || action == "unlock" {
            guard let id = Int(id), var note = practice.notes[id] else { return .notFound }
            note.lockedBy = action == "lock" ? (body["locked_by"]?.stringValue ?? "sandbox.doctor") : nil
            note.updatedAt = localNow
            practice.insertNote(note)
            enqueueWebhook(action == "lock" ? "CLINICAL_NOTE_LOCK" : "CLINICAL_NOTE_UNLOCK", note.json)
            return .json(200, note.json)
        }
        if let captured = route.match("GET", "files", "documents", "*", "*") {
            guard let id = Int(captured[0]), let document = practice.documents[id] else { return .notFound }
            return SandboxResponse(status: 200, headers: [("Content-Type", document.contentType)], body: document.bytes)
        }
        if let captured = route.match("GET", "records", "*") {
            guard let rows = adminRows(captured[0], request) else { return .notFound }
            return .json(200, .object(["count": .int(rows.count), "results": .array(rows)]))
        }
        if let captured = route.match("GET", "records", "*", "*") {
            guard let id = Int(captured[1]), let row = adminRow(captured[0], id: id, request) else { return .notFound }
            return .json(200, row)
        }
        if let captured = route.match("POST", "records", "*") {
            return adminWrite(captured[0], method: "POST", id: nil, body: body, request)
        }
        if let captured = route.match("PATCH", "records", "*", "*") ?? route.match("DELETE", "records", "*", "*") {
            guard let id = Int(captured[1]) else { return .notFound }
            return adminWrite(captured[0], method: request.method, id: id, body: body, request)
        }
        return .notFound
    }

    var clockJSON: JSONValue {
        .object([
            "now": .string(localNow.description), "time_zone": .string(timeZone.identifier),
            "epoch_seconds": .double(now), "frozen": .bool(frozenAt != nil),
        ])
    }

    var limitsJSON: JSONValue {
        .object([
            "enabled": .bool(limits.enabled), "hourly": .int(limits.hourly), "burst": .int(limits.burst),
            "remaining_this_hour": .int(limits.remaining(client: "sandbox-client", now: now)),
        ])
    }

    /// Every stored row of `resource`, deleted ones included, optionally filtered by a
    /// substring of the appointment's notes (how write-queue tests find their markers).
    func adminRows(_ resource: String, _ request: SandboxRequest) -> [JSONValue]? {
        let notesContaining = request.query["notes_contains"]
        // A large practice's million appointments are hundreds of megabytes of JSON: a
        // test comparing a day's changes asks only for those.
        let since = request.query["updated_since"].flatMap(LocalDateTime.init)
        func fresh(_ updated: LocalDateTime) -> Bool { since.map { updated >= $0 } ?? true }
        switch resource {
        case "appointments":
            return practice.appointments.all.filter {
                fresh($0.updatedAt) && (notesContaining == nil || $0.notes.contains(notesContaining!))
            }
            .map { $0.json(note: practice.note(forAppointment: $0.id)) }
        case "patients": return practice.patients.all.filter { fresh($0.updatedAt) }.map(\.json)
        case "line_items": return practice.lineItems.all.filter { fresh($0.updatedAt) }.map(\.json)
        case "documents": return practice.documents.all.map { $0.json(baseURL: baseURL(request)) }
        case "clinical_notes": return practice.notes.all.filter { fresh($0.updatedAt) }.map(\.json)
        case "problems": return practice.problems.all.map(\.json)
        case "medications": return practice.medications.all.map(\.json)
        case "allergies": return practice.allergies.all.map(\.json)
        case "doctors": return practice.doctors.all.map { $0.json(timeZone: timeZone.identifier) }
        case "offices": return practice.offices.all.map(\.json)
        case "appointment_profiles": return practice.profiles.all.map(\.json)
        case "clinical_note_field_types": return practice.fieldTypes.all.map(\.json)
        case "patient_payments": return practice.payments.all.filter { fresh($0.updatedAt) }.map(\.json)
        case "doctor_work_schedule": return practice.workSchedules.all.map(\.json)
        case "line_item_deletions": return practice.lineItemDeletions.map(\.json)
        case "fee_schedules": return practice.feeSchedules.all.map(\.json)
        case "billing_profiles": return practice.billingProfiles.all.map(\.json)
        case "patient_lab_results": return practice.patientLabResults.all.map(\.json)
        default: return nil
        }
    }

    func adminRow(_ resource: String, id: Int, _ request: SandboxRequest) -> JSONValue? {
        if resource == "appointments" { return practice.appointments[id].map { $0.json(note: practice.note(forAppointment: id)) } }
        return adminRows(resource, request).flatMap { rows in rows.first { $0.objectValue?["id"]?.intValue == id } }
    }

    func adminWrite(_ resource: String, method: String, id: Int?, body: JSONObject, _ request: SandboxRequest) -> SandboxResponse {
        let now = localNow
        switch (resource, method) {
        case ("appointments", "POST"): return createAppointment(body, request)
        case ("appointments", "PATCH"): return updateAppointment(id!, body, partial: true)
        case ("appointments", "DELETE"): return deleteAppointment(id!)
        case ("patients", "POST"): return createPatient(body)
        case ("patients", "PATCH"): return updatePatient(id!, body, partial: true)
        case ("line_items", "POST"): return createLineItem(body)
        case ("line_items", "PATCH"):
            var reader = FieldReader(body)
            let price = reader.double("price")
            let code = reader.string("code")
            let units = reader.string("units")
            let quantity = reader.double("quantity")
            guard reader.errors.isEmpty else { return .fieldErrors(reader.errors) }
            let updated = practice.lineItems.update(id!) { item in
                if let price { item.price = price }
                if let code { item.code = code }
                if let units { item.units = units }
                if let quantity { item.quantity = quantity }
                item.updatedAt = now
            }
            return updated == nil ? .notFound : .noContent
        case ("problems", "PATCH"), ("medications", "PATCH"), ("allergies", "PATCH"):
            var reader = FieldReader(body)
            let status = reader.string("status")
            let notes = reader.string("notes")
            guard reader.errors.isEmpty else { return .fieldErrors(reader.errors) }
            let found: Bool
            switch resource {
            case "problems":
                found =
                    practice.problems.update(id!) {
                        if let status { $0.status = status }; if let notes { $0.notes = notes }; $0.updatedAt = now
                    } != nil
            case "medications":
                found =
                    practice.medications.update(id!) {
                        if let status { $0.status = status }; if let notes { $0.notes = notes }; $0.updatedAt = now
                    } != nil
            default:
                found =
                    practice.allergies.update(id!) {
                        if let status { $0.status = status }; if let notes { $0.notes = notes }; $0.updatedAt = now
                    } != nil
            }
            return found ? .noContent : .notFound
        case ("line_items", "DELETE"), ("problems", "DELETE"), ("medications", "DELETE"), ("allergies", "DELETE"), ("documents", "DELETE"),
            ("patients", "DELETE"):
            // These resources report no deletion on the wire: the row is simply gone,
            // which is what a mirror's id reconciliation has to notice.
            let removed: Bool
            switch resource {
            case "line_items": removed = practice.lineItems.remove(id!)
            case "problems": removed = practice.problems.remove(id!)
            case "medications": removed = practice.medications.remove(id!)
            case "allergies": removed = practice.allergies.remove(id!)
            case "documents": removed = practice.documents.remove(id!)
            default: removed = practice.patients.remove(id!)
            }
            return removed ? .noContent : .notFound
        default:
            return .methodNotAllowed(method)
        }
    }
}

/// Matches an admin path against patterns where `*` captures one segment.
struct AdminPath {
    var method: String
    var parts: [String]

    func match(_ method: String, _ pattern: String...) -> [String]? {
        guard method == self.method, pattern.count == parts.count else { return nil }
        var captured: [String] = []
        for (want, got) in zip(pattern, parts) {
            if want == "*" { captured.append(got) } else if want != got { return nil }
        }
        return captured
    }

    func `is`(_ method: String, _ pattern: String...) -> Bool {
        method == self.method && pattern == parts
    }
}
