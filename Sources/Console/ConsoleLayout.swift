/// The screen's geometry, shared by the model (which keeps its cursors on screen) and
/// the views (which draw to it): one tab row on top, the message row and the status bar
/// at the foot, the pane between.
public enum ConsoleLayout {
    public static let minimumWidth = 60
    public static let minimumHeight = 16
    /// The schedule's time column.
    public static let gutter = 9
    public static let minimumColumnWidth = 16
    /// The note list beside a note's body.
    public static let noteListWidth = 22
    /// The visit list beside a visit's line items.
    public static let visitListWidth = 44

    public static func paneHeight(_ height: Int) -> Int { height - 3 }

    /// Rows under the schedule for the visit under the cursor: two in a window narrower
    /// than 160 columns, where one line would cut what it says (a visit with its copay,
    /// eligibility and a message left runs past 120).
    public static func scheduleDetailRows(width: Int) -> Int { width < 160 ? 2 : 1 }

    public static func scheduleColumns(width: Int, count: Int) -> (visible: Int, width: Int) {
        let room = max(minimumColumnWidth, width - gutter)
        let visible = max(1, min(max(1, count), room / minimumColumnWidth))
        return (visible, room / visible)
    }
}

extension ConsoleModel {
    /// Tells the panes how much of them is on screen, so cursors stay visible.
    public mutating func fit(width: Int, height: Int) {
        let pane = ConsoleLayout.paneHeight(height)
        schedule.visibleRows = max(1, pane - 2 - ConsoleLayout.scheduleDetailRows(width: width))
        schedule.visibleColumns = ConsoleLayout.scheduleColumns(width: width, count: schedule.columns.count).visible
        schedule.keepCursorVisible()
        search.visibleRows = max(1, pane - 4)
        search.move(by: 0)
        // A row to spare: the chart's header takes two lines where a long name would be cut.
        chart.visibleRows = max(1, pane - 4)
        chart.bodyWidth = max(20, width - ConsoleLayout.noteListWidth - 3)
        billing.visibleRows = max(1, pane - 2)
    }
}
