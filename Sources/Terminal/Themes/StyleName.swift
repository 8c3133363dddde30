/// The named styles views draw with; a theme gives each its colours and attributes.
public enum StyleName: String, CaseIterable, Sendable {
    case normal, muted, border, title
    case tab
    case tabActive = "tab-active"
    case header, cursor, selected, input
    case statusBar = "status-bar"
    case offline, message, error, warning
    case breakTime = "break"
    case pending, conflict, match, overlay
    case statusBooked = "status-booked"
    case statusArrived = "status-arrived"
    case statusInRoom = "status-in-room"
    case statusComplete = "status-complete"
    case statusCancelled = "status-cancelled"
    case statusNoShow = "status-no-show"

    public init(statusStyle: String) { self = StyleName(rawValue: statusStyle) ?? .statusBooked }
}
