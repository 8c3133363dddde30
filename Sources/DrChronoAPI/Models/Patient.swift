public struct Patient: Sendable, Equatable, Identifiable {
    public var id: Int
    public var chartId: String
    public var firstName: String, middleName: String, lastName: String, nickName: String
    /// `YYYY-MM-DD`, or nil when the practice never recorded one.
    public var dateOfBirth: String?
    public var gender: String
    public var email: String, cellPhone: String, homePhone: String, officePhone: String
    public var doctor: Int?
    public var patientStatus: String
    public var updatedAt: LocalDateTime?
    public var raw: JSONObject

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        chartId = json.string("chart_id") ?? ""
        firstName = json.string("first_name") ?? ""
        middleName = json.string("middle_name") ?? ""
        lastName = json.string("last_name") ?? ""
        nickName = json.string("nick_name") ?? ""
        dateOfBirth = json.dateTime("date_of_birth")?.dateString
        gender = json.string("gender") ?? ""
        email = json.string("email") ?? ""
        cellPhone = json.string("cell_phone") ?? ""
        homePhone = json.string("home_phone") ?? ""
        officePhone = json.string("office_phone") ?? ""
        doctor = json.int("doctor")
        patientStatus = json.string("patient_status") ?? ""
        updatedAt = json.dateTime("updated_at")
        raw = json
    }
}
