import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The chart's boxes: a document to attach, a document to read (and save a copy of).
extension ConsoleModel {
    mutating func pressInAttachForm(_ form: AttachForm, _ key: Key) -> [Effect] {
        var form = form
        if key == .escape {
            overlay = nil
            say("Nothing was attached.")
            return []
        }
        switch form.handle(key) {
        case .none:
            overlay = .attach(form)
        case .complete(let typed):
            overlay = .attach(form)
            return [.completePath(typed, in: folders.inbox)]
        case .submit:
            overlay = .attach(form)
            guard let draft = form.draft(today: now) else {
                form.problems = [.error("date", "Give the document's date as T, 12/3 or 2026-12-03.")]
                overlay = .attach(form)
                return []
            }
            if draft.path.isEmpty {
                form.problems = [.error("document", "Type the file's name in the inbox (Tab lists them).")]
                overlay = .attach(form)
                return []
            }
            return [.attach(draft, from: folders.inbox, by: writeContext)]
        }
        return []
    }

    mutating func pressInDocument(_ view: DocumentView, _ key: Key) -> [Effect] {
        var view = view
        if var path = view.saving {
            switch key {
            case .escape: view.saving = nil
            case .enter:
                let typed = path.text.trimmingCharacters(in: .whitespaces)
                guard !typed.isEmpty, let file = view.reading.file else { return [] }
                overlay = nil
                return [
                    .saveDocument(from: file, to: typed, in: folders.documents),
                    .audit([AuditTrail.Event(.documentSave, reference: String(view.reading.document))]),
                ]
            default:
                path.handle(key)
                view.saving = path
            }
            overlay = .document(view)
            return []
        }
        if key == .character("s"), view.reading.file != nil {
            guard folders.documents != nil else {
                say(PersonFolders.savingOff, error: true)
                return []
            }
            view.saving = TextField(limit: 200)
            overlay = .document(view)
            return []
        }
        guard let top = scrolled(view.top, lines: view.reading.lines.count, by: key) else { overlay = nil; return [] }
        view.top = top
        overlay = .document(view)
        return []
    }
}
