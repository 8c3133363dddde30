import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The biller's boxes: a billing profile, a claim's status and note, a void to confirm,
/// the charge form.
extension ConsoleModel {
    mutating func pressInProfilePicker(_ visit: Appointment, name: String, selection: Int, _ key: Key) -> [Effect] {
        var selection = selection
        let profiles = billing.profiles
        switch keyMap.action(for: key, within: .dialog) {
        case .up?: selection = max(0, selection - 1)
        case .down?: selection = min(profiles.count - 1, selection + 1)
        case .open? where profiles.indices.contains(selection):
            overlay = nil
            let profile = profiles[selection]
            let charges = zip(profile.codes, profile.types).map { code, type in
                ProfileCharge(
                    code: code, type: type, diagnoses: Array(profile.diagnoses.prefix(4)), priceCents: billing.prices[code] ?? 0)
            }
            return [queue(.applyProfile(appointment: visit.id, profile: profile.name, charges: charges, who: name))]
        case .back?, .quit?:
            overlay = nil
            return []
        default: break
        }
        if overlay != nil { overlay = .profilePicker(visit, name: name, selection: selection) }
        return []
    }

    mutating func pressInBillingStatusPicker(_ visit: Appointment, name: String, selection: Int, _ key: Key) -> [Effect] {
        var selection = selection
        switch keyMap.action(for: key, within: .dialog) {
        case .up?: selection = max(0, selection - 1)
        case .down?: selection = min(BillingStatus.allCases.count - 1, selection + 1)
        case .open?:
            overlay = nil
            return [queue(.billingStatus(appointment: visit.id, status: BillingStatus.allCases[selection], who: name))]
        case .back?, .quit?:
            overlay = nil
            return []
        default: break
        }
        overlay = .billingStatusPicker(visit, name: name, selection: selection)
        return []
    }

    mutating func pressInClaimNote(_ visit: Appointment, name: String, text: TextField, _ key: Key) -> [Effect] {
        var text = text
        switch key {
        case .escape:
            overlay = nil
            say("No note was written.")
        case .enter:
            let typed = text.text.trimmingCharacters(in: .whitespaces)
            guard !typed.isEmpty else { say("Type the note, or Esc.", error: true); return [] }
            overlay = nil
            return [queue(.claimNote(appointment: visit.id, text: typed, who: name))]
        default:
            text.handle(key)
            overlay = .claimNote(visit, name: name, text: text)
        }
        return []
    }

    mutating func pressInConfirmVoid(_ item: LineItem, name: String, _ key: Key) -> [Effect] {
        switch keyMap.action(for: key, within: .dialog) {
        case .confirm?:
            overlay = nil
            return [
                queue(.voidCharge(lineItem: item.id, summary: "\(item.code) (\(BillingModel.money(item.priceCents))) for \(name)"))
            ]
        case .decline?, .back?: overlay = nil
        default: break
        }
        return []
    }

    mutating func pressInChargeForm(_ form: ChargeForm, _ key: Key) -> [Effect] {
        var form = form
        if key == .escape, form.lookup.isListing {
            form.lookup.matches = []
            overlay = .charge(form)
            return []
        }
        if key == .escape { overlay = nil; say("No line item was added."); return [] }
        let diagnoses = form.diagnoses.text
        let submitted = form.handle(key)
        if !submitted, form.diagnoses.text != diagnoses {
            overlay = .charge(form)
            return [.lookUpDiagnoses(form.diagnoses.text)]
        }
        if submitted {
            form.problems = form.entryProblems
            overlay = .charge(form)
            guard form.problems.isEmpty, let charge = form.charge else { return [] }
            // Checked here: a charge's check reads nothing but the charge.
            let problems = ChargeCheck.problems(charge)
            if !problems.isEmpty {
                form.problems = problems
                overlay = .charge(form)
                say("The line item was not \(form.fixing == nil ? "added" : "corrected"): fix what is marked.", error: true)
                return []
            }
            if let id = form.fixing {
                let changes = form.changes
                guard !changes.isEmpty else {
                    overlay = nil
                    say("Nothing was changed.")
                    return []
                }
                return [
                    queue(
                        .fixCharge(
                            lineItem: id, changes: changes,
                            summary:
                                "\(charge.code) (\(BillingModel.money(Money.line(priceCents: charge.priceCents, quantity: charge.quantity)))) for \(form.patientName)"
                        ))
                ]
            }
            return [queue(.charge(form))]
        } else {
            overlay = .charge(form)
        }
        return []
    }
}
