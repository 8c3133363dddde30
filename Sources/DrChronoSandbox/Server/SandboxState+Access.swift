import DrChronoAPI
import Foundation

/// Who sees what: the practice's users and its group's sharing, set on the admin
/// surface as a practice administrator sets them in DrChrono's settings, and the
/// answers a token gets for another doctor's side of the practice.
extension SandboxState {
    /// `GET /_sandbox/users`, `PUT /_sandbox/users/{username}` (a new name adds a
    /// user), `PUT /_sandbox/practice_group`; nil for any other admin path.
    func adminAccess(_ route: AdminPath, _ body: JSONObject) -> SandboxResponse? {
        if route.is("GET", "users") { return .json(200, accessJSON) }
        if route.is("PUT", "practice_group") {
            guard let share = body.bool("share_patients") else {
                return .detail(400, "Give share_patients (true or false): whether the group's users see every doctor's patients.")
            }
            practice.sharePatients = share
            return .json(200, accessJSON)
        }
        guard let name = route.match("PUT", "users", "*")?.first else { return nil }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            return .detail(400, "A username is letters, digits, '-', '_' and '.'.")
        }
        var person =
            practice.staff.first { $0.username == name }
            ?? StaffUser(id: (practice.staff.map(\.id).max() ?? 0) + 1, username: name)
        if let doctor = body["doctor"] {
            if doctor == .null {
                person.doctor = nil
            } else {
                guard let id = doctor.intValue,
                    practice.doctors[id] != nil || body.int("practice_group") ?? person.practiceGroup != Practice.group
                else { return .detail(400, "doctor must be one of the practice's doctors (GET /api/doctors), or null for the first.") }
                person.doctor = id
            }
        }
        if let on = body.bool("provider_selection") { person.providerSelection = on }
        if let on = body.bool("practice_admin") { person.practiceAdmin = on }
        if let group = body.int("practice_group") { person.practiceGroup = group }
        if let index = practice.staff.firstIndex(where: { $0.id == person.id }) {
            practice.staff[index] = person
        } else {
            practice.staff.append(person)
        }
        return .json(200, accessJSON)
    }

    var accessJSON: JSONValue {
        .object([
            "share_patients": .bool(practice.sharePatients),
            "users": .array(
                practice.staff.map { person in
                    .object([
                        "id": .int(person.id), "username": .string(person.username), "doctor": .int(practice.primaryDoctor(of: person)),
                        "provider_selection": .bool(person.providerSelection), "practice_admin": .bool(person.practiceAdmin),
                        "practice_group": .int(person.practiceGroup),
                        "sees": {
                            switch practice.visibility(of: person.id) {
                            case .practice: "practice"
                            case .doctors(let doctors): .array(doctors.sorted().map { .int($0) })
                            }
                        }(),
                    ])
                }),
        ])
    }

    /// What DrChrono answers a write its token may not make: 404 for a row it does not
    /// see (not there, for it), 403 for another doctor's side of the practice — a row
    /// made or moved there, or a visit of a doctor the user may not schedule for.
    func refusal(_ resource: String, id: Int?, fields: JSONObject, user: Int) -> SandboxResponse? {
        let visible = practice.visibility(of: user)
        let forbidden = SandboxResponse.detail(403, "You do not have permission to perform this action.")
        if let id, let owner = practice.owner(of: resource, id: id) {
            guard visible.sees(owner) else { return .notFound }
            if resource == "appointments", !practice.schedules(user, for: owner) { return forbidden }
        }
        func number(_ key: String) -> Int? { fields[key].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } } }
        if let asked = number("doctor"), !visible.sees(asked) || (resource == "appointments" && !practice.schedules(user, for: asked)) {
            return forbidden
        }
        // A visit, charge or document for a patient of a doctor the token does not see.
        if resource != "patients", let patient = number("patient").flatMap({ practice.patients[$0] }), !visible.sees(patient.doctor) {
            return forbidden
        }
        return nil
    }

}
