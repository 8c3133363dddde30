import DrChronoAPI
import Mirror
import Practice

extension MirrorReader {
    /// A day's visits that still hold their time, to confirm (``VisitToConfirm``).
    func confirmList(_ day: String) throws -> [ConfirmList.Row] {
        try mirror.read { db in try VisitToConfirm.list(db, day: day) }
    }
}
