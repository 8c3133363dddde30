import DrChronoAPI

extension Doctor {
    /// "Dr. Patel": how the practice names a doctor on every screen and sheet.
    public var displayName: String { Doctor.displayName(lastName: lastName) }

    /// "Dr. Patel" for a last name alone (a fact read without the doctor's row).
    public static func displayName(lastName: String) -> String { "Dr. \(lastName)" }
}
