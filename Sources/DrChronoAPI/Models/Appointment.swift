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
