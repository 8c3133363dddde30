import DrChronoAPI
import Foundation

extension SandboxState {
    /// Routes one `/api/…` request (not a bulk list) to its resource.
    func resource(_ route: APIRoute, _ request: SandboxRequest) -> SandboxResponse {
        guard route.subresource == nil else { return .notFound }
        if let answered = frontDesk(route, request) ?? billing(route, request) { return answered }
        let method = request.method
        switch (route.resource, method) {
        case ("users", "GET"):
            if route.id == "current" { return .json(200, user(request.user)) }
            // The users of the asker's own practice group.
            let group = practice.staffUser(request.user)?.practiceGroup
            let colleagues = practice.staff.filter { $0.practiceGroup == group }
            if let id = route.id.flatMap(Int.init), colleagues.contains(where: { $0.id == id }) { return .json(200, user(id)) }
            if route.id == nil { return page(request, rows: colleagues.map { user($0.id) }, lastCursor: nil, hasMore: false) }
            return .notFound
        case ("insurances", "GET"):
            guard route.id == nil else { return .notFound }
            // DrChrono's payer list, searched by `term` (name or payer id).
            let term = (request.query["term"] ?? "").lowercased()
            let rows = SyntheticPayers.all.filter {
                term.isEmpty || $0.name.lowercased().contains(term) || $0.id.lowercased().contains(term)
            }
            return page(
                request,
                rows: rows.map { .object(["payer_id": .string($0.id), "payer_name": .string($0.name), "state": .string($0.state)]) },
                lastCursor: nil, hasMore: false)
        case ("doctors", "GET"), ("offices", "GET"), ("appointment_profiles", "GET"), ("clinical_note_field_types", "GET"),
            ("problems", "GET"), ("medications", "GET"), ("allergies", "GET"), ("clinical_notes", "GET"),
            ("line_items", "GET"), ("documents", "GET"), ("patients", "GET"), ("appointments", "GET"):
            if let id = route.id.flatMap(Int.init), let owner = practice.owner(of: route.resource, id: id),
                !practice.visibility(of: request.user).sees(owner)
            {
                return .notFound  // as DrChrono answers a row outside the token's view: not there
            }
            return route.id == nil ? list(route.resource, request) : detail(route.resource, id: route.id!, request)
        case ("appointments", _), ("patients", _), ("line_items", _), ("documents", _):
            return write(route, request)
        case (let resource, _) where APIRoute.readOnlyResources.contains(resource):
            return .methodNotAllowed(method)
        default:
            return .notFound
        }
    }

    /// One of the practice's users, as `/api/users` shows them.
    /// Its `doctor` is the user's primary doctor, `practice_group` their group.
    func user(_ id: Int) -> JSONValue {
        let person = practice.staffUser(id) ?? StaffUser(id: id, username: practice.currentUserName)
        return .object([
            "id": .int(id), "username": .string(person.username),
            "doctor": .int(practice.primaryDoctor(of: person)), "practice_group": .int(person.practiceGroup), "is_doctor": false,
            "is_staff": true,
            "permissions": .object([
                "can_edit_calendar": true, "can_edit_billing": true, "can_view_clinical": true,
                "appointment_provider_selection": .bool(person.providerSelection),
                "can_access_all_providers": .bool(practice.visibility(of: id) == .practice),
            ]),
        ])
    }

    func detail(_ resource: String, id text: String, _ request: SandboxRequest) -> SandboxResponse {
        guard let id = Int(text) else { return .notFound }
        let json: JSONValue?
        switch resource {
        case "doctors": json = practice.doctors[id]?.json(timeZone: timeZone.identifier)
        case "offices": json = practice.offices[id]?.json
        case "appointment_profiles": json = practice.profiles[id]?.json
        case "patients": json = practice.patients[id]?.json
        case "appointments":
            let showArchived = QueryFilters(request.query).flag("show_archived")
            json = practice.appointments[id].flatMap {
                $0.deleted && !showArchived
                    ? nil : $0.json(note: practice.note(forAppointment: id), verbose: request.query["verbose"]?.lowercased() == "true")
            }
        case "clinical_notes": json = practice.notes[id]?.json
        case "clinical_note_field_types": json = practice.fieldTypes[id]?.json
        case "problems": json = practice.problems[id]?.json
        case "medications": json = practice.medications[id]?.json
        case "allergies": json = practice.allergies[id]?.json
        case "line_items": json = practice.lineItems[id]?.json
        case "documents": json = practice.documents[id]?.json(baseURL: baseURL(request))
        default: json = nil
        }
        return json.map { .json(200, $0) } ?? .notFound
    }

    func list(_ resource: String, _ request: SandboxRequest) -> SandboxResponse {
        var filters = QueryFilters(request.query)
        let since = filters.dateTime("since")
        let doctor = filters.int("doctor")
        let patient = filters.int("patient")
        let office = filters.int("office")
        func fresh(_ updated: LocalDateTime) -> Bool { since.map { updated >= $0 } ?? true }
        var response: SandboxResponse
        switch resource {
        case "doctors":
            response = pageById(
                request, practice.doctors, id: \.id, include: { fresh($0.updatedAt) }, json: { $0.json(timeZone: self.timeZone.identifier) }
            )
        case "offices":
            response = pageById(request, practice.offices, id: \.id, include: { doctor == nil || $0.doctor == doctor }, json: \.json)
        case "appointment_profiles":
            response = pageById(
                request, practice.profiles, id: \.id, include: { doctor == nil || $0.doctor == nil || $0.doctor == doctor }, json: \.json)
        case "clinical_note_field_types":
            let template = filters.int("clinical_note_template")
            response = pageById(
                request, practice.fieldTypes, id: \.id, include: { template == nil || $0.template == template }, json: \.json)
        case "patients":
            let first = filters.string("first_name")?.lowercased()
            let last = filters.string("last_name")?.lowercased()
            let dob = filters.date("date_of_birth")?.dateString
            let chart = filters.string("chart_id")
            let email = filters.string("email")?.lowercased()
            let gender = filters.string("gender")
            response = pageById(
                request, practice.patients, id: \.id,
                include: { p in
                    fresh(p.updatedAt) && (doctor == nil || p.doctor == doctor)
                        && (first == nil || p.firstName.lowercased().contains(first!))
                        && (last == nil || p.lastName.lowercased().contains(last!))
                        && (dob == nil || p.dateOfBirth == dob) && (chart == nil || p.chartId == chart)
                        && (email == nil || p.email.lowercased() == email) && (gender == nil || p.gender == gender)
                }, json: \.json)
        case "appointments":
            return listAppointments(request)
        case "clinical_notes":
            let appointment = filters.int("appointment")
            let day = filters.date("date")
            let range = filters.dateRange("date_range", maxDays: nil)
            response = pageById(
                request, practice.notes, id: \.id,
                include: { n in
                    guard fresh(n.updatedAt), patient == nil || n.patient == patient, doctor == nil || n.doctor == doctor,
                        office == nil || n.office == office, appointment == nil || n.appointment == appointment
                    else { return false }
                    if day == nil && range == nil { return true }
                    guard let visit = self.practice.appointments[n.appointment]?.scheduledTime else { return false }
                    return (day == nil || visit.dayNumber == day!.dayNumber) && (range == nil || range!.contains(visit))
                }, json: \.json)
        case "problems":
            response = pageById(
                request, practice.problems, id: \.id,
                include: { fresh($0.updatedAt) && (patient == nil || $0.patient == patient) && (doctor == nil || $0.doctor == doctor) },
                json: \.json)
        case "medications":
            response = pageById(
                request, practice.medications, id: \.id,
                include: { fresh($0.updatedAt) && (patient == nil || $0.patient == patient) && (doctor == nil || $0.doctor == doctor) },
                json: \.json)
        case "allergies":
            response = pageById(
                request, practice.allergies, id: \.id,
                include: { fresh($0.updatedAt) && (patient == nil || $0.patient == patient) && (doctor == nil || $0.doctor == doctor) },
                json: \.json)
        case "line_items":
            let appointment = filters.int("appointment")
            let serviceDate = filters.date("service_date")?.dateString
            let postedDate = filters.date("posted_date")?.dateString
            response = pageById(
                request, practice.lineItems, id: \.id,
                include: { item in
                    fresh(item.updatedAt) && (appointment == nil || item.appointment == appointment)
                        && (patient == nil || item.patient == patient)
                        && (doctor == nil || item.doctor == doctor) && (serviceDate == nil || item.serviceDate == serviceDate)
                        && (postedDate == nil || item.postedDate == postedDate)
                        && (office == nil || self.practice.appointments[item.appointment]?.office == office)
                }, json: \.json)
        case "documents":
            let base = baseURL(request)
            response = pageById(
                request, practice.documents, id: \.id,
                include: { fresh($0.updatedAt) && (patient == nil || $0.patient == patient) && (doctor == nil || $0.doctor == doctor) },
                json: { $0.json(baseURL: base) })
        default:
            return .notFound
        }
        // Filters are validated as they are read; a bad one turns the page into a 400.
        return filters.errors.isEmpty ? response : .fieldErrors(filters.errors)
    }

    /// `/api/appointments`: needs a day, a range of at most 190 days, `since` or
    /// `occurred_since`; pages of at most 20 in scheduled order.
    func listAppointments(_ request: SandboxRequest) -> SandboxResponse {
        var filters = QueryFilters(request.query)
        let day = filters.date("date")
        let range = filters.dateRange("date_range", maxDays: 190)
        let since = filters.dateTime("since")
        let occurredSince = filters.dateTime("occurred_since")
        let doctor = filters.int("doctor")
        let office = filters.int("office")
        let patient = filters.int("patient")
        let room = filters.int("exam_room")
        let status = filters.string("status")
        let showArchived = filters.flag("show_archived")
        let visible = practice.visibility(of: request.user)
        guard filters.errors.isEmpty else { return .fieldErrors(filters.errors) }
        guard day != nil || range != nil || since != nil || occurredSince != nil else {
            return .json(400, ["non_field_errors": ["Must provide either 'date', 'date_range', 'since' or 'occurred_since'."]])
        }
        let listing: Listing
        switch Listing.parse(request, cap: 20) {
        case .success(let value): listing = value
        case .failure(let response): return response
        }

        let candidates: [Int]
        if let day {
            candidates = practice.appointmentIds(onDays: day.dayNumber...day.dayNumber)
        } else if let range {
            candidates = practice.appointmentIds(onDays: range.lowerBound.dayNumber...range.upperBound.dayNumber)
        } else if let since {
            candidates = practice.appointmentIds(updatedSince: since)
        } else {
            candidates = practice.appointments.ids
        }
        var rows = candidates.compactMap { practice.appointments[$0] }.filter { a in
            (showArchived || !a.deleted) && (since == nil || a.updatedAt >= since!)
                && (occurredSince == nil || a.scheduledTime >= occurredSince!)
                && (range == nil || range!.contains(a.scheduledTime)) && (doctor == nil || a.doctor == doctor) && visible.sees(a.doctor)
                && (office == nil || a.office == office)
                && (patient == nil || a.patient == patient) && (room == nil || a.examRoom == room) && (status == nil || a.status == status)
        }
        func key(_ a: AppointmentRecord) -> Cursor { Cursor(key: a.scheduledTime.secondsSinceEpoch, id: a.id) }
        func before(_ x: Cursor, _ y: Cursor) -> Bool { (x.key, x.id) < (y.key, y.id) }
        if let after = listing.after { rows = rows.filter { before(after, key($0)) } }
        rows.sort { before(key($0), key($1)) }
        let hasMore = rows.count > listing.pageSize
        let pageRows = rows.prefix(listing.pageSize)
        return page(
            request, rows: pageRows.map { $0.json(note: practice.note(forAppointment: $0.id), verbose: listing.verbose) },
            lastCursor: pageRows.last.map(key), hasMore: hasMore)
    }
}

extension APIRoute {
    static let readOnlyResources: Set<String> = [
        "users", "insurances", "doctors", "offices", "appointment_profiles", "clinical_notes", "clinical_note_field_types",
        "problems", "medications", "allergies",
    ]
}
