/// The named styles views draw with; a theme gives each its colours and attributes.
public enum StyleName: String, CaseIterable, Sendable {
    case normal, muted, border, title
    case tab, tabActive = "tab-active"
    case header, cursor, selected, input
    case statusBar = "status-bar", offline, message, error, warning
    case breakTime = "break", pending, conflict, match, overlay
    case statusBooked = "status-booked", statusArrived = "status-arrived", statusInRoom = "status-in-room"
    case statusComplete = "status-complete", statusCancelled = "status-cancelled", statusNoShow = "status-no-show"

    public init(statusStyle: String) { self = StyleName(rawValue: statusStyle) ?? .statusBooked }
}
