/// An appointment, or a break (`isBreak`), on a doctor's schedule.
public struct Appointment: Sendable, Equatable, Identifiable {
    /// A string on the wire: DrChrono's OpenAPI types appointment ids so.
    public var id: String
    public var doctor: Int?, office: Int?, examRoom: Int?
    /// nil for a break.
    public var patient: Int?
    public var scheduledTime: LocalDateTime?
    public var duration: Int
    public var status: String
    public var reason: String, notes: String
    public var profile: Int?
    public var isBreak: Bool
    public var allowOverlapping: Bool
    public var deleted: Bool
    public var noteLocked: Bool?
    public var updatedAt: LocalDateTime?
    public var raw: JSONObject

    /// A visit from its fields alone (a list read from the mirror's columns: `raw` empty).
    public init(
        id: String, doctor: Int?, office: Int?, examRoom: Int?, patient: Int?, scheduledTime: LocalDateTime?, duration: Int,
        status: String, reason: String, notes: String, profile: Int?, isBreak: Bool, allowOverlapping: Bool = false,
        deleted: Bool, noteLocked: Bool?, updatedAt: LocalDateTime?, raw: JSONObject = JSONObject()
    ) {
        (self.id, self.doctor, self.office, self.examRoom, self.patient) = (id, doctor, office, examRoom, patient)
        (self.scheduledTime, self.duration, self.status, self.reason, self.notes) = (scheduledTime, duration, status, reason, notes)
        (self.profile, self.isBreak, self.allowOverlapping, self.deleted) = (profile, isBreak, allowOverlapping, deleted)
        (self.noteLocked, self.updatedAt, self.raw) = (noteLocked, updatedAt, raw)
    }

    public init?(json: JSONObject) {
        guard let id = json.string("id"), !id.isEmpty else { return nil }
        self.id = id
        doctor = json.int("doctor")
        office = json.int("office")
        examRoom = json.int("exam_room")
        patient = json.int("patient")
        scheduledTime = json.dateTime("scheduled_time")
        duration = json.int("duration") ?? 0
        status = json.string("status") ?? ""
        reason = json.string("reason") ?? ""
        notes = json.string("notes") ?? ""
        profile = json.int("profile")
        isBreak = json.bool("appt_is_break") ?? false
        allowOverlapping = json.bool("allow_overlapping") ?? false
        deleted = json.bool("deleted_flag") ?? false
        noteLocked = json.object("clinical_note")?.bool("locked")
        updatedAt = json.dateTime("updated_at")
        raw = json
    }
}
