import CodeSets
import DrChronoAPI
import Foundation
import Mirror
import Practice

/// Files a person names — a copy saved, a scan attached — and the diagnosis list looked up:
/// only in the folders the office manager set.
extension EffectRunner {
    /// Copies a fetched document into the practice's documents folder under the name the
    /// person typed: a name, not a path; never over a file, never through a link.
    static func save(from: String, to typed: String, in folder: PersonFolder?) -> EffectResult {
        guard let folder else { return .documentSaved(typed, problem: PersonFolders.savingOff) }
        guard let data = FileManager.default.contents(atPath: from) else {
            return .documentSaved(typed, problem: "The fetched copy is gone: open the document again, then save it.")
        }
        switch folder.create(typed, data: data) {
        case .success(let path): return .documentSaved(path, problem: nil)
        case .failure(let problem): return .documentSaved(typed, problem: problem.message)
        }
    }

    /// The diagnosis field looked up in the shipped ICD-10-CM list: the words being typed,
    /// and each code typed.
    static func lookUp(diagnoses text: String) -> DiagnosisLookup {
        let list: DiagnosisCodeList
        do { list = try DiagnosisCodeList.shipped() } catch {
            return DiagnosisLookup(text: text, matches: [], typed: [], edition: String(describing: error))
        }
        let typed = DiagnosisLookup.codes(in: text).map { DiagnosisLookup.TypedCode(code: $0, known: list.code($0)) }
        let matches = DiagnosisLookup.words(in: text).map { list.search($0, limit: 8) } ?? []
        return DiagnosisLookup(text: text, matches: matches, typed: typed, edition: list.edition)
    }

    /// The inbox's files that start as typed (never a hidden one, a link or a folder).
    static func completions(of typed: String, in folder: PersonFolder?) -> [String] {
        folder?.files(startingWith: typed) ?? []
    }

    /// Reads the file (refusing one too large before reading it), checks it as DrChrono's
    /// chart takes it, and queues it with the file kept in the queue until it is sent.
    func attach(_ draft: AttachDraft, from folder: PersonFolder?, by context: WriteContext) {
        guard let inbox = folder else {
            post(.attachProblems([.error("document", PersonFolders.attachingOff)]))
            return
        }
        let name: String
        let bytes: Data
        switch (inbox.name(draft.path), inbox.read(draft.path, limit: UploadCheck.largestFile)) {
        case (.success(let valid), .success(let read)): (name, bytes) = (valid, read)
        case (.failure(let problem), _), (_, .failure(let problem)):
            post(.attachProblems([.error("document", problem.message)]))
            return
        }
        let upload = Outbox.Upload(
            patient: draft.patient, doctor: draft.doctor, description: draft.description, date: draft.date, fileName: name,
            contentType: UploadCheck.kind(of: bytes) ?? "application/octet-stream", bytes: bytes)
        do {
            switch try Desk(mirror: mirror, actor: context.actor, now: context.now).attach(upload) {
            case .queued:
                post(.queued(.attach(draft)))
                _ = watch.changed()
                self.inbox.post(.mirrorChanged)
            case .refused(let refusal) where !refusal.problems.isEmpty: post(.attachProblems(refusal.problems))
            case .refused(let refusal): post(.notQueued(Self.clause(refusal.reason)))
            case .needsConfirmation(let warnings): post(.attachProblems(warnings))
            }
        } catch {
            notQueued(error)
        }
    }
}
