import DrChronoAPI
import Mirror

/// A patient's chart as the note viewer shows it.
public struct ChartData: Sendable, Equatable {
    public var patient: Patient
    public var notes: [ClinicalNote]
    public var problems: [Problem]
    public var medications: [Medication]
    public var allergies: [Allergy]
    public var documents: [Document]
    /// Note field names by field type id.
    public var fieldNames: [Int: String]
    /// Each note's visit time, by appointment id.
    public var visitTimes: [String: LocalDateTime]
    /// The latest eligibility check DrChrono ran for the patient's visits.
    public var eligibility: EligibilityCheck?
    /// Lab results, newest first.
    public var labs: [LabResult] = []
    /// Each visit's vitals, the latest first.
    public var vitals: [VisitVitals] = []

    public init(
        patient: Patient, notes: [ClinicalNote] = [], problems: [Problem] = [], medications: [Medication] = [], allergies: [Allergy] = [],
        documents: [Document] = [], fieldNames: [Int: String] = [:], visitTimes: [String: LocalDateTime] = [:]
    ) {
        (self.patient, self.notes, self.problems, self.medications, self.allergies, self.documents, self.fieldNames, self.visitTimes) = (
            patient, notes, problems, medications, allergies, documents, fieldNames, visitTimes
        )
    }

    public func visit(of note: ClinicalNote) -> LocalDateTime? { note.appointment.flatMap { visitTimes[$0] } }
}

/// The note viewer: a patient's notes by date with the selected one's body, and the
/// problem, medication, allergy and document lists; find inside a note.
public struct ChartModel: Sendable, Equatable {
    public enum Section: Int, CaseIterable, Sendable {
        case notes, problems, medications, allergies, labs, vitals, documents

        public var title: String {
            switch self {
            case .notes: "Notes"
            case .problems: "Problems"
            case .medications: "Medications"
            case .allergies: "Allergies"
            case .labs: "Labs"
            case .vitals: "Vitals"
            case .documents: "Documents"
            }
        }

        /// The title where a tab must be short.
        public var shortTitle: String {
            switch self {
            case .problems: "Probs"
            case .medications: "Meds"
            case .documents: "Docs"
            case .notes, .allergies, .labs, .vitals: title
            }
        }
    }

    public var patientId: Int?
    public private(set) var data: ChartData?
    public var section = Section.notes
    public var selected = 0
    public var top = 0
    /// The first line of the note body on screen.
    public var scroll = 0
    public var visibleRows = 20
    /// Width the note body is wrapped to.
    public var bodyWidth = 60 {
        didSet { if bodyWidth != oldValue { refreshMatches() } }
    }
    /// The find prompt, while it is open.
    public var finding: TextField?
    public private(set) var findText = ""
    public private(set) var matchLines: [Int] = []
    public private(set) var match = 0

    public init() {}

    public mutating func show(_ data: ChartData?) {
        let samePatient = data?.patient.id == self.data?.patient.id
        self.data = data
        if !samePatient { (section, selected, top, scroll, findText, matchLines) = (.notes, 0, 0, 0, "", []) }
        selected = min(selected, max(0, rowCount - 1))
        refreshMatches()
    }

    public var rowCount: Int { count(of: section) }

    /// How many rows a section lists for the open chart.
    public func count(of section: Section) -> Int {
        guard let data else { return 0 }
        switch section {
        case .notes: return data.notes.count
        case .problems: return data.problems.count
        case .medications: return data.medications.count
        case .allergies: return data.allergies.count
        case .labs: return data.labs.count
        case .vitals: return data.vitals.count
        case .documents: return data.documents.count
        }
    }

    /// The section's count as its tab shows it: labs say how many are abnormal.
    /// A section's tab: "Labs (3, 2 abnormal)"; `compact`, for a narrow window: "Labs 3 !2".
    public func tabTitle(_ section: Section, compact: Bool = false) -> String {
        guard let data else { return section.title }
        let abnormal = section == .labs ? data.labs.filter(\.isAbnormal).count : 0
        if compact {
            return "\(section.shortTitle) \(count(of: section))\(abnormal > 0 ? " !\(abnormal)" : "")"
        }
        if section == .labs { return "Labs (\(data.labs.count)\(abnormal > 0 ? ", \(abnormal) abnormal" : ""))" }
        return "\(section.title) (\(count(of: section)))"
    }

    /// A lab result's row: date, test, value and unit, range, and its flag.
    public static func labRow(_ result: LabResult) -> [String] {
        let date = result.received.map { "\($0.month)/\($0.day)/\($0.year)" } ?? ""
        let flag =
            switch result.abnormal {
            case "": ""
            case "H", "HH": "HIGH"
            case "L", "LL": "LOW"
            default: "ABNORMAL"
            }
        let status =
            switch result.status {
            case "F": "final"
            case "P": "preliminary"
            case "C": "corrected"
            default: result.status
            }
        let signed = result.signedOff.map { $0 ? "yes" : "NOT YET" } ?? ""
        return [date, result.test, "\(result.value) \(result.unit)", result.range, flag, status, signed]
    }

    /// A visit's vitals as a row: date, blood pressure, pulse, temperature, breathing,
    /// oxygen, weight, height, BMI, pain.
    public static func vitalsRow(_ visit: VisitVitals) -> [String] {
        let v = visit.vitals
        func number(_ key: String) -> String {
            guard let value = v[key]?.doubleValue else { return v.string(key) ?? "" }
            return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
        }
        let date = visit.taken.map { "\($0.month)/\($0.day)/\($0.year)" } ?? ""
        let pressure = visit.bloodPressure.map { "\($0.0)/\($0.1)" + (visit.bloodPressureHigh ? " HIGH" : "") } ?? ""
        let temperature =
            number("temperature").isEmpty ? "" : number("temperature") + "°" + (v.string("temperature_units") ?? "").uppercased()
        let weight = number("weight").isEmpty ? "" : number("weight") + " " + (v.string("weight_units") ?? "")
        let height = number("height").isEmpty ? "" : number("height") + " " + (v.string("height_units") ?? "")
        return [
            date, pressure, number("pulse"), temperature, number("respiratory_rate"),
            number("oxygen_saturation").isEmpty ? "" : number("oxygen_saturation") + "%", weight, height, v.string("bmi") ?? number("bmi"),
            v.string("pain") ?? number("pain"),
        ]
    }

    public var selectedNote: ClinicalNote? {
        guard section == .notes, let notes = data?.notes, notes.indices.contains(selected) else { return nil }
        return notes[selected]
    }

    public mutating func move(by delta: Int) {
        let before = selected
        ListWindow.move(&selected, first: &top, by: delta, count: rowCount, visible: visibleRows)
        if before != selected { scroll = 0; refreshMatches() }
    }

    public mutating func switchSection(by delta: Int) {
        let all = Section.allCases
        section = all[(section.rawValue + delta + all.count) % all.count]
        (selected, top, scroll) = (0, 0, 0)
        refreshMatches()
    }

    public mutating func scrollBody(by delta: Int) {
        scroll = max(0, min(max(0, bodyLines.count - visibleRows), scroll + delta))
    }

    /// The selected note's text, wrapped to `bodyWidth`: its visit, whether it is
    /// locked, then each section's name and values.
    public var bodyLines: [String] {
        guard let note = selectedNote, let data else { return [] }
        var lines: [String] = []
        let visit = data.visit(of: note).map { "\($0.month)/\($0.day)/\($0.year)" } ?? "date unknown"
        lines.append("Visit \(visit) · " + (note.isLocked ? "Locked (signed)" : "Unlocked (draft)"))
        lines.append("")
        for section in note.sections {
            lines.append(section.name.isEmpty ? "Section" : section.name)
            for value in section.values where !value.value.isEmpty {
                let field = value.field.flatMap { data.fieldNames[$0] } ?? "Field"
                lines.append(contentsOf: Self.wrap("\(field): \(value.value)", width: bodyWidth, indent: "  "))
            }
            lines.append("")
        }
        if note.sections.isEmpty { lines.append("This note has no sections yet.") }
        return lines
    }

    static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        let width = max(10, width - indent.count - 2)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).flatMap {
            TextColumn.wrap(String($0), width: width)
        }
        // A value's later lines hang under its first, clear of the field's name.
        return lines.enumerated().map { $0.offset == 0 ? indent + $0.element : indent + "  " + $0.element }
    }

    // MARK: Find in note

    public mutating func find(_ text: String) {
        findText = text
        refreshMatches()
        match = 0
        if let first = matchLines.first { scroll = max(0, first - 2) }
    }

    public mutating func nextMatch(_ delta: Int) {
        guard !matchLines.isEmpty else { return }
        match = (match + delta + matchLines.count) % matchLines.count
        scroll = max(0, matchLines[match] - 2)
    }

    private mutating func refreshMatches() {
        guard !findText.isEmpty else { matchLines = []; return }
        let needle = SearchKey.fold(findText)
        matchLines = bodyLines.indices.filter { SearchKey.fold(bodyLines[$0]).contains(needle) }
        match = min(match, max(0, matchLines.count - 1))
    }

    public var matchSummary: String? {
        guard !findText.isEmpty else { return nil }
        return matchLines.isEmpty ? "'\(findText)' is not in this note" : "'\(findText)': \(match + 1) of \(matchLines.count)"
    }
}
