import DrChronoAPI

extension Doctor {
    /// "Dr. Patel": how the practice names a doctor on every screen and sheet.
    public var displayName: String { Doctor.displayName(lastName: lastName) }

    /// "Dr. Anika Patel": on a printed sheet, where a first name helps.
    public var fullName: String { "Dr. \(firstName) \(lastName)" }

    /// "Dr. Patel" for a last name alone (a fact read without the doctor's row).
    public static func displayName(lastName: String) -> String { "Dr. \(lastName)" }
}

extension Doctor {
    /// The doctor a person named on the command line: an id (101), a last name (patel),
    /// or a name as written ("Dr. Patel", "Anika Patel") — case and accents aside. Nil
    /// when none, or more than one, answers to it.
    public static func named(_ typed: String, among doctors: [Doctor]) -> Doctor? {
        if let id = Int(typed) { return doctors.first { $0.id == id } }
        func fold(_ text: String) -> String {
            text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).replacingOccurrences(of: "dr. ", with: "")
                .trimmingCharacters(in: .whitespaces)
        }
        let wanted = fold(typed)
        let matching = doctors.filter { fold($0.lastName) == wanted || fold("\($0.firstName) \($0.lastName)") == wanted }
        return matching.count == 1 ? matching[0] : nil
    }
}
