import DrChronoAPI
import Foundation
import Mirror

/// Registering a patient and changing one: the form's keys, its checks, and the
/// mirror's answer about a chart that already exists.
extension ConsoleModel {
    /// `new-patient` and `edit-patient`, from any pane that binds them; nil for other actions.
    mutating func patientAction(_ action: Action) -> [Effect]? {
        switch action {
        case .newPatient:
            return requireWrite(.patients) { model in
                let doctor = model.schedule.selectedSlot?.column.doctor ?? model.schedule.selectedAppointment?.doctor
                model.overlay = .patient(PatientForm(register: model.schedule.data.doctors, doctor: doctor))
                return [.reload(.payers)]
            }
        case .attachDocument:
            let patient: (Int, String)? =
                switch pane {
                case .search: search.selectedRow.map { ($0.patient.id, $0.name) }
                case .notes: chart.data.map { ($0.patient.id, PatientRow(patient: $0.patient, next: nil).name) }
                case .schedule: schedule.selectedAppointment.flatMap { a in a.patient.map { ($0, schedule.data.patientName(a)) } }
                case .billing: billing.selectedVisit.flatMap { a in a.patient.map { ($0, billing.names[$0] ?? "the patient") } }
                }
            guard let (id, name) = patient else {
                say("Pick a patient first: / to search, then A on their row.", error: true)
                return []
            }
            return requireWrite(.patients) { model in
                guard model.folders.inbox != nil else {
                    model.say(PersonFolders.attachingOff, error: true)
                    return []
                }
                let doctor = model.chart.data?.patient.doctor ?? model.search.selectedRow?.patient.doctor
                model.overlay = .attach(AttachForm(patient: id, patientName: name, doctors: model.schedule.data.doctors, doctor: doctor))
                return []
            }
        case .editPatient:
            let patient: Int? =
                switch pane {
                case .search: search.selectedRow?.patient.id
                case .notes: chart.patientId
                case .schedule: schedule.selectedAppointment?.patient
                case .billing: billing.selectedVisit?.patient
                }
            guard let patient else {
                say("Pick a patient first: / to search, then e on their row.", error: true)
                return []
            }
            return requireWrite(.patients) { _ in [.openPatientChange(patient)] }
        default:
            return nil
        }
    }

    mutating func openPatientChange(_ record: JSONObject?) -> [Effect] {
        guard let record else {
            say("That patient is not in the local copy any more.", error: true)
            return []
        }
        overlay = .patient(PatientForm(change: record, doctors: schedule.data.doctors))
        return [.reload(.payers)]
    }

    mutating func pressInPatientForm(_ form: PatientForm, _ key: Key) -> [Effect] {
        var form = form
        if key == .escape {
            overlay = nil
            say(form.purpose == .register ? "No patient was registered." : "Nothing was changed.")
            return []
        }
        if key == .control("o"), let existing = form.duplicateOf {
            overlay = nil
            return openChart(existing)
        }
        guard form.handle(key) else {
            overlay = .patient(form)
            return []
        }
        form.problems = form.problems(today: now)
        overlay = .patient(form)
        if form.problems.contains(where: { $0.severity == .error }) {
            say("Nothing was queued yet: fix what is marked.", error: true)
            return []
        }
        let draft = form.draft
        if case .change = form.purpose, draft.fields.isEmpty {
            overlay = nil
            say("Nothing was changed.")
            return []
        }
        return [.checkPatient(draft)]
    }

    /// A submitted registration or change against the charts the mirror holds: queued,
    /// or what is wrong shown (warnings need a second Enter).
    mutating func check(_ draft: PatientDraft, duplicates: [MirrorQueries.ExistingPatient]) -> [Effect] {
        guard case .patient(var form) = overlay else { return [] }
        var problems = form.problems(today: now)
        let others = duplicates.filter { existing in
            if case .change(let id, _) = draft.purpose { return existing.id != id }
            return true
        }
        form.duplicateOf = nil
        if let existing = others.first, let born = LocalDateTime(existing.dateOfBirth) {
            let chart = existing.chartId.isEmpty ? "a chart registered here, still on its way to DrChrono" : "chart \(existing.chartId)"
            problems.insert(
                .error(
                    "duplicate",
                    "\(existing.name), born \(born.month)/\(born.day)/\(born.year), is already \(chart)."),
                at: 0)
            form.duplicateOf = existing.id
        }
        let errors = problems.filter { $0.severity == .error }
        if !errors.isEmpty || (!problems.isEmpty && !form.warningsSeen) {
            form.problems = problems
            form.warningsSeen = errors.isEmpty
            overlay = .patient(form)
            if let existing = others.first {
                say("Nothing was queued: \(existing.name) already has a chart — Ctrl-O opens it, Esc leaves the form.", error: true)
            } else {
                say(
                    errors.isEmpty ? "Press Enter again to keep it as typed, or fix it." : "Nothing was queued yet: fix what is marked.",
                    error: !errors.isEmpty)
            }
            return []
        }
        return [queue(draft.purpose == .register ? .registerPatient(draft) : .changePatient(draft))]
    }
}
