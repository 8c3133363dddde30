import DrChronoAPI
import Foundation

/// A bulk list job: `POST /api/patients_list` snapshots the matching ids; the client
/// polls `GET /api/patients_list?uuid=…` until it is complete, then pages through it.
struct BulkJob: Sendable {
    var uuid: String
    var resource: String
    var ids: [Int]
    var pageSize: Int
    var createdAt: Double  // sandbox seconds; the uuid lives an hour
    var readyAt: Double  // sandbox seconds: "In progress" until then
    /// The first poll always finds the job in progress, so a client that reads
    /// results without polling is caught whatever the machine's speed.
    var polled = false
}

extension SandboxState {
    static let bulkResources: Set<String> = ["patients", "appointments", "clinical_notes", "line_items"]
    static let bulkLifetime: Double = 3600

    func bulk(_ route: APIRoute, _ request: SandboxRequest) -> SandboxResponse {
        let base = route.bulkBase
        guard SandboxState.bulkResources.contains(base) else { return .notFound }
        bulkJobs = bulkJobs.filter { now - $0.value.createdAt < SandboxState.bulkLifetime }
        switch request.method {
        case "POST":
            var filters = QueryFilters(request.query)
            let since = filters.dateTime("since")
            let doctor = filters.int("doctor")
            let patient = filters.int("patient")
            let range = filters.dateRange("date_range", maxDays: nil)
            guard filters.errors.isEmpty else { return .fieldErrors(filters.errors) }
            var size = 1000
            if let asked = request.query["page_size"].flatMap({ Int($0) }), asked > 0 { size = min(asked, 1000) }
            let visible = practice.visibility(of: request.user)
            var ids: [Int]
            switch base {
            case "patients":
                ids = practice.patients.all.filter { (since == nil || $0.updatedAt >= since!) && (doctor == nil || $0.doctor == doctor) }
                    .map(\.id)
            case "appointments":
                let showArchived = filters.flag("show_archived")
                ids = practice.appointments.all.filter {
                    (showArchived || !$0.deleted) && (since == nil || $0.updatedAt >= since!) && (doctor == nil || $0.doctor == doctor)
                        && (patient == nil || $0.patient == patient) && (range == nil || range!.contains($0.scheduledTime))
                }.map(\.id)
            case "clinical_notes":
                ids = practice.notes.all.filter {
                    (since == nil || $0.updatedAt >= since!) && (doctor == nil || $0.doctor == doctor)
                        && (patient == nil || $0.patient == patient)
                }.map(\.id)
            default:
                ids = practice.lineItems.all.filter {
                    (since == nil || $0.updatedAt >= since!) && (doctor == nil || $0.doctor == doctor)
                        && (patient == nil || $0.patient == patient)
                }.map(\.id)
            }
            // The rows the asker's token sees, chosen when the job is made.
            if visible != .practice { ids = ids.filter { practice.owner(of: base, id: $0).map(visible.sees) ?? false } }
            let uuid = UUID().uuidString.lowercased()
            // A real export takes a moment; a client must poll, not assume.
            let delay = 0.2 + Double(ids.count) / 2_000_000
            bulkJobs[uuid] = BulkJob(uuid: uuid, resource: base, ids: ids, pageSize: size, createdAt: now, readyAt: now + delay)
            return .json(201, .object(["uuid": .string(uuid), "status": "In progress"]))
        case "GET":
            guard let uuid = request.query["uuid"] else {
                return .json(400, ["uuid": ["This query parameter is required: the uuid answered by POST."]])
            }
            guard let job = bulkJobs[uuid], job.resource == base else { return .notFound }
            if !job.polled || now < job.readyAt {
                bulkJobs[uuid]?.polled = true
                return .json(200, .object(["uuid": .string(uuid), "status": "In progress"]))
            }
            var offset = 0
            if let text = request.query["cursor"] {
                guard let cursor = Cursor(encoded: text), cursor.key >= 0, cursor.key <= job.ids.count else {
                    return .detail(404, "Invalid cursor")
                }
                offset = cursor.key
            }
            let slice = job.ids[offset..<min(job.ids.count, offset + job.pageSize)]
            let rows: [JSONValue] = slice.compactMap { id in
                switch base {
                case "patients": practice.patients[id]?.json
                case "appointments": practice.appointments[id].map { $0.json(note: practice.note(forAppointment: id)) }
                case "clinical_notes": practice.notes[id]?.json
                default: practice.lineItems[id]?.json
                }
            }
            let end = offset + slice.count
            var body = JSONObject()
            body["uuid"] = .string(uuid)
            body["status"] = "Complete"
            body["previous"] = .null
            body["next"] = end < job.ids.count ? .string(nextURL(request, cursor: Cursor(key: end, id: 0))) : .null
            body["count"] = .int(job.ids.count)
            body["results"] = .array(rows)
            var response = SandboxResponse.json(200, .object(body))
            response.listedRows = rows.count
            response.servedIds = Array(slice)
            return response
        default:
            return .methodNotAllowed(request.method)
        }
    }
}
