import DrChronoAPI
import Foundation
import Mirror

/// A registration or change as the console hands it to the queue.
public struct PatientDraft: Sendable, Equatable {
    public var purpose: PatientForm.Purpose
    /// DrChrono's fields: all of them for a registration, the changed ones for a change.
    public var fields: JSONObject
    /// Who the patient is, as the form now says (a change's fields may not carry it):
    /// what a second chart is looked for by.
    public var firstName: String, lastName: String, dateOfBirth: String

    public var name: String {
        switch purpose {
        case .register: "\(firstName) \(lastName)"
        case .change(_, let name): name
        }
    }
}
