import DrChronoAPI

extension Doctor {
    /// "Dr. Patel": how the practice names a doctor on every screen and sheet.
    public var displayName: String { Doctor.displayName(lastName: lastName) }

    /// "Dr. Anika Patel": on a printed sheet, where a first name helps.
    public var fullName: String { "Dr. \(firstName) \(lastName)" }

    /// "Dr. Patel" for a last name alone (a fact read without the doctor's row).
    public static func displayName(lastName: String) -> String { "Dr. \(lastName)" }
}
