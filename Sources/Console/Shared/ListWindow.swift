/// Moving through rows shown a window at a time — the one rule every pane follows (its
/// list of visits, patients, notes, the schedule's slots and columns): the position
/// stays within the rows, and the window follows it without leaving empty rows at the
/// end.
enum ListWindow {
    /// Moves `position` by `delta` within `count` rows, and `first` (the first row
    /// shown) so that it stays among the `visible` rows.
    static func move(_ position: inout Int, first: inout Int, by delta: Int, count: Int, visible: Int) {
        position = max(0, min(max(0, count - 1), position + delta))
        follow(position, first: &first, count: count, visible: visible)
    }

    /// Moves `first` so that `position` shows among the `visible` rows.
    static func follow(_ position: Int, first: inout Int, count: Int, visible: Int) {
        if position < first { first = position }
        if position >= first + visible { first = position - visible + 1 }
        first = max(0, min(first, max(0, count - visible)))
    }
}
