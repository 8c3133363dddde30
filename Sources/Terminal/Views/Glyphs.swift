/// The characters borders and marks are drawn with: box drawing where the terminal
/// speaks UTF-8, plain ASCII where it does not (LANG=C, vt100).
public struct Glyphs: Sendable, Equatable {
    public var horizontal: String, vertical: String
    public var topLeft: String, topRight: String, bottomLeft: String, bottomRight: String
    public var shade: String
    public var dot: String
    public var continuation: String

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        shade: "░", dot: "·", continuation: "┆")
    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        shade: ".", dot: ".", continuation: ":")
}
