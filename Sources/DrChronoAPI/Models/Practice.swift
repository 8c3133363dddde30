/// The user an access token belongs to (`/api/users/current`).
public struct CurrentUser: Sendable, Equatable {
    public var id: Int
    public var username: String
    /// The doctor the user is, or works for.
    public var doctor: Int?
    public var practiceGroup: Int?
    public var isDoctor: Bool
    public var isStaff: Bool
    /// Whether DrChrono says the user may reach every doctor's rows
    /// (`permissions.can_access_all_providers`); nil when it does not say (the OpenAPI
    /// gives `permissions` as an opaque string).
    public var seesEveryDoctor: Bool?

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        username = json.string("username") ?? ""
        doctor = json.int("doctor")
        practiceGroup = json.int("practice_group")
        isDoctor = json.bool("is_doctor") ?? false
        isStaff = json.bool("is_staff") ?? false
        seesEveryDoctor = json["permissions"]?.objectValue?.bool("can_access_all_providers")
    }
}

public struct Doctor: Sendable, Equatable, Identifiable {
    public var id: Int
    public var firstName: String, lastName: String, suffix: String
    public var specialty: String
    /// The practice's time zone, as DrChrono reports it ("America/New_York").
    public var timeZone: String?
    public var raw: JSONObject

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        firstName = json.string("first_name") ?? ""
        lastName = json.string("last_name") ?? ""
        suffix = json.string("suffix") ?? ""
        specialty = json.string("specialty") ?? ""
        timeZone = json.string("timezone")
        raw = json
    }
}

public struct ExamRoom: Sendable, Equatable {
    /// 1-based, as appointments refer to it.
    public var index: Int
    public var name: String
}

public struct Office: Sendable, Equatable, Identifiable {
    public var id: Int
    public var name: String
    public var examRooms: [ExamRoom]
    public var startTime: String?, endTime: String?
    public var archived: Bool
    public var raw: JSONObject

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        name = json.string("name") ?? ""
        // Production sends a list of rooms; the OpenAPI file allows a string too.
        examRooms = json.array("exam_rooms").enumerated().compactMap { offset, value in
            guard let room = value.objectValue else { return nil }
            return ExamRoom(index: room.int("index") ?? offset + 1, name: room.string("name") ?? "Room \(offset + 1)")
        }
        startTime = json.string("start_time")
        endTime = json.string("end_time")
        archived = json.bool("archived") ?? false
        raw = json
    }
}

public struct AppointmentProfile: Sendable, Equatable, Identifiable {
    public var id: Int
    public var name: String, color: String, reason: String
    public var duration: Int?
    public var doctor: Int?
    public var archived: Bool
    public var raw: JSONObject

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        name = json.string("name") ?? ""
        color = json.string("color") ?? ""
        reason = json.string("reason") ?? ""
        duration = json.int("duration")
        doctor = json.int("doctor")
        archived = json.bool("archived") ?? false
        raw = json
    }
}
