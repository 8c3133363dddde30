import DrChronoAPI

/// One row of the search results: the patient and their next visit.
public struct PatientRow: Sendable, Equatable {
    public var patient: Patient
    public var next: LocalDateTime?
    /// Documents on their chart (scans, forms, reports): where to look for one.
    public var documents = 0

    public init(patient: Patient, next: LocalDateTime?, documents: Int = 0) {
        (self.patient, self.next, self.documents) = (patient, next, documents)
    }

    public var name: String {
        let last = patient.lastName
        let first = patient.firstName
        return last.isEmpty ? first : first.isEmpty ? last : "\(last), \(first)"
    }

    /// The cell (else home) number, as (555) 013-9204 when it is a US number.
    public var phone: String {
        let raw = [patient.cellPhone, patient.homePhone].first { !$0.isEmpty } ?? ""
        var digits = raw.filter(\.isNumber)
        if digits.count == 11, digits.hasPrefix("1") { digits.removeFirst() }
        guard digits.count == 10 else { return raw }
        let d = Array(digits)
        return "(\(String(d[0..<3]))) \(String(d[3..<6]))-\(String(d[6..<10]))"
    }

    /// Age in whole years on `today`, when the birth date is known.
    public func age(on today: LocalDateTime) -> Int? {
        guard let birth = patient.dateOfBirth.flatMap(LocalDateTime.init) else { return nil }
        var years = today.year - birth.year
        if (today.month, today.day) < (birth.month, birth.day) { years -= 1 }
        return years >= 0 ? years : nil
    }
}

/// Patient search as you type: the query, the results, and which one is picked.
public struct PatientSearchModel: Sendable, Equatable {
    public var query = TextField(limit: 80)
    /// Typing goes into the query; Esc stops editing so j/k, b and o work on the list.
    public var editing = true
    public private(set) var results: [PatientRow] = []
    public private(set) var searched = ""
    public var selected = 0
    public var top = 0
    public var visibleRows = 20
    /// When set, Enter picks the patient for a booking in this slot.
    public var pickingFor: BookingSlot?

    public init() {}

    public var selectedRow: PatientRow? { results.indices.contains(selected) ? results[selected] : nil }

    public mutating func show(_ rows: [PatientRow], for query: String) {
        // A new query starts at the top; the same query read again (the mirror
        // changed) keeps the person's place.
        let keep = query == searched ? selectedRow?.patient.id : nil
        results = rows
        searched = query
        selected = keep.flatMap { id in rows.firstIndex { $0.patient.id == id } } ?? 0
        if keep == nil { top = 0 }
        move(by: 0)
    }

    public mutating func move(by delta: Int) {
        ListWindow.move(&selected, first: &top, by: delta, count: results.count, visible: visibleRows)
    }
}
