import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The next free slot: who (a doctor or any), for what (a visit type or minutes), where
/// (an office or any), from when, mornings or afternoons. Enter finds; the slots found
/// are listed under the criteria, and Enter on one books it.
public struct FindSlotForm: Sendable, Equatable {
    public var doctors: [Doctor]
    /// Index into ``doctors``; nil: any doctor.
    public var doctorIndex: Int?
    public var visitTypes: [AppointmentProfile]
    public var visitTypeIndex: Int?
    public var duration = TextField("30", limit: 3)
    public var offices: [Office]
    public var officeIndex: Int?
    public var from: TextField
    public var part = SlotFinder.PartOfDay.any
    /// Where the keys go: a criterion, or the slots found.
    public enum Field: Int, Sendable, CaseIterable {
        case doctor, visitType, minutes, office, from, timeOfDay
        /// The list of slots found, under the criteria.
        case results

        /// The criteria, in the order Tab visits them.
        public static let criteria: [Field] = [.doctor, .visitType, .minutes, .office, .from, .timeOfDay]

        /// "Visit type", as the form labels it.
        public var title: String {
            switch self {
            case .doctor: "Doctor"
            case .visitType: "Visit type"
            case .minutes: "Minutes"
            case .office: "Office"
            case .from: "From"
            case .timeOfDay: "Time of day"
            case .results: "Slots"
            }
        }

        /// The criterion `step` places on, wrapping around.
        func moved(by step: Int) -> Field {
            let all = Field.criteria
            return all[((all.firstIndex(of: self) ?? 0) + step + all.count) % all.count]
        }
    }

    public var field = Field.doctor
    public var error: String?
    /// The slots found for the criteria as they were when Enter was pressed.
    public var results: [SlotFinder.Slot]?
    public var selected = 0
    /// Who the slot is for, when the search began on a patient.
    public var patient: PatientChoice?

    public init(doctors: [Doctor], visitTypes: [AppointmentProfile], offices: [Office], doctor: Int?, patient: PatientChoice?) {
        self.doctors = doctors
        self.visitTypes = visitTypes
        self.offices = offices
        doctorIndex = doctor.flatMap { id in doctors.firstIndex { $0.id == id } }
        self.patient = patient
        from = TextField("T", limit: 20)
    }

    public var visitType: AppointmentProfile? { visitTypeIndex.flatMap { visitTypes.indices.contains($0) ? visitTypes[$0] : nil } }

    public func shown(_ field: Field) -> String {
        switch field {
        case .doctor: "< " + (doctorIndex.map { doctors[$0].displayName } ?? "any doctor") + " >"
        case .visitType: "< " + (visitType.map { "\($0.name) (\($0.duration.map { "\($0) min" } ?? "—"))" } ?? "none") + " >"
        case .minutes: duration.text
        case .office: "< " + (officeIndex.map { offices[$0].name } ?? "any office") + " >"
        case .from: from.text
        case .timeOfDay: "< " + (part == .any ? "any time" : part == .mornings ? "mornings" : "afternoons") + " >"
        case .results: ""
        }
    }

    /// Handles a key; answers true when the person asked to search (Enter on the criteria).
    public mutating func handle(_ key: Key) -> Bool {
        if field == .results {
            switch key {
            case .up: if selected == 0 { field = .timeOfDay } else { selected -= 1 }
            case .down: selected = min(selected + 1, max(0, (results?.count ?? 1) - 1))
            case .tab: field = .doctor
            case .backTab: field = .timeOfDay
            default: break
            }
            return false
        }
        switch key {
        case .enter: return true
        case .tab, .down:
            field = field == .timeOfDay && !(results ?? []).isEmpty ? .results : field.moved(by: 1)
        case .backTab, .up: field = field.moved(by: -1)
        case .left, .right:
            let step = key == .left ? -1 : 1
            func cycle(_ index: Int?, _ count: Int) -> Int? {
                guard count > 0 else { return nil }
                let next = ((index ?? -1) + 1 + step + count + 1) % (count + 1)
                return next == 0 ? nil : next - 1
            }
            switch field {
            case .doctor: doctorIndex = cycle(doctorIndex, doctors.count)
            case .visitType:
                visitTypeIndex = cycle(visitTypeIndex, visitTypes.count)
                if let minutes = visitType?.duration, minutes > 0 { duration.text = String(minutes) }
            case .office: officeIndex = cycle(officeIndex, offices.count)
            case .timeOfDay:
                let parts = SlotFinder.PartOfDay.allCases
                part = parts[((parts.firstIndex(of: part) ?? 0) + step + parts.count) % parts.count]
            case .minutes, .from, .results: break
            }
        default:
            if field == .minutes {
                if case .character(let c) = key, !c.isNumber { return false }
                duration.handle(key)
            } else if field == .from {
                from.handle(key)
            }
        }
        error = nil
        return false
    }

    /// The search the criteria ask for, or what is wrong with them.
    public enum Criteria: Sendable, Equatable {
        case search(SlotFinder.Request)
        case problem(String)
    }

    public func request(today: LocalDateTime) -> Criteria {
        guard let minutes = Int(duration.text), (5...480).contains(minutes) else {
            return .problem("Minutes: from 5 to 480.")
        }
        let day: LocalDateTime
        do {
            day = try DateExpression(from.text.isEmpty ? "T" : from.text).resolve(today: today)
        } catch {
            return .problem(error.description)
        }
        var request = SlotFinder.Request(
            doctors: doctorIndex.map { [doctors[$0].id] }, office: officeIndex.map { offices[$0].id }, duration: minutes, from: day)
        request.part = part
        return .search(request)
    }
}
