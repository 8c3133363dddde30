import DrChronoAPI
import Foundation
import Mirror
import Practice

/// Attaching a scanned card or form to a patient's chart: the file's path (Tab
/// completes it), what it is, its date, the doctor. The file is checked as DrChrono's
/// chart takes it (a PDF or an image, 20 MB at most) before it is queued.
public struct AttachForm: Sendable, Equatable {
    public var patient: Int
    public var patientName: String
    public var doctors: [Doctor]
    public var doctorIndex: Int
    public var path = TextField(limit: 400)
    public var description = TextField(limit: 200)
    public var date = TextField("T", limit: 20)
    public var field = Field.file
    /// What Tab offered last for the path.
    public var candidates: [String] = []
    /// The path a completion made whole (one file): Tab on it again moves on.
    var completed: String?
    /// The description as a completion filled it from the file's name: a later
    /// completion to another file replaces it (one the person typed is kept).
    var describedFromName: String?
    public var problems: [WriteProblem] = []

    /// The form's fields, in the order Tab visits them.
    public enum Field: FormField {
        case file, description, date, doctor

        public var title: String {
            switch self {
            case .file: "File"
            case .description: "Description"
            case .date: "Date"
            case .doctor: "Doctor"
            }
        }
    }

    public init(patient: Int, patientName: String, doctors: [Doctor], doctor: Int?) {
        (self.patient, self.patientName, self.doctors) = (patient, patientName, doctors)
        doctorIndex = doctors.firstIndex { $0.id == doctor } ?? 0
    }

    public var doctor: Doctor? { doctors.indices.contains(doctorIndex) ? doctors[doctorIndex] : nil }

    public enum Outcome: Sendable, Equatable {
        case none
        case submit
        /// Tab in the file field: complete this path.
        case complete(String)
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .enter: return .submit
        case .tab where field == .file && (completed != path.text || path.text.isEmpty): return .complete(path.text)
        case .tab, .down: field = field.moved(by: 1)
        case .backTab, .up: field = field.moved(by: -1)
        case .left, .right:
            if field == .doctor, !doctors.isEmpty {
                doctorIndex = (doctorIndex + (key == .left ? -1 : 1) + doctors.count) % doctors.count
            }
        default:
            switch field {
            case .file:
                path.handle(key)
                candidates = []
            case .description: description.handle(key)
            case .date: date.handle(key)
            case .doctor: break
            }
        }
        problems = []
        return .none
    }

    /// Tab's answer: the entries of the folder that start as typed. One fills the path (a
    /// folder with its slash); several fill it as far as they agree, and are listed.
    public mutating func complete(_ typed: String, with entries: [String]) {
        guard typed == path.text else { return }  // typed on since
        candidates = entries
        guard let first = entries.first else {
            problems = [.warning("document", "Nothing there starts with that.")]
            return
        }
        var common = first
        for entry in entries.dropFirst() { while !entry.hasPrefix(common) { common.removeLast() } }
        let folder = typed.contains("/") ? String(typed[...typed.lastIndex(of: "/")!]) : ""
        if common.count > typed.count - folder.count { path.text = folder + common }
        if entries.count == 1 { candidates = [] }
        completed = entries.count == 1 && !first.hasSuffix("/") ? path.text : nil
        if entries.count == 1, !first.hasSuffix("/"), description.text.isEmpty || description.text == describedFromName {
            // A scan's name often says what it is: "insurance-card.pdf" → "insurance card".
            let stem = (first as NSString).deletingPathExtension.replacingOccurrences(of: "-", with: " ").replacingOccurrences(
                of: "_", with: " ")
            description.text = String(stem.prefix(200))
            describedFromName = description.text
        }
    }

    public func draft(today: LocalDateTime) -> AttachDraft? {
        guard let day = try? DateExpression(date.text.isEmpty ? "T" : date.text).resolve(today: today) else { return nil }
        return AttachDraft(
            patient: patient, patientName: patientName, doctor: doctor?.id ?? 0, path: path.text.trimmingCharacters(in: .whitespaces),
            description: description.text.trimmingCharacters(in: .whitespaces), date: day.dateString)
    }
}

/// An attachment as the console hands it to the session, which reads the file.
public struct AttachDraft: Sendable, Equatable {
    public var patient: Int
    public var patientName: String
    public var doctor: Int
    public var path: String
    public var description: String
    public var date: String
}
