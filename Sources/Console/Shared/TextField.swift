/// A one-line text field: typing, Backspace, Ctrl-U to clear, Ctrl-W to drop a word.
public struct TextField: Sendable, Equatable {
    public var text: String
    /// Longest text accepted; what a person types past it is dropped.
    public var limit: Int

    public init(_ text: String = "", limit: Int = 200) { (self.text, self.limit) = (text, limit) }

    /// Applies `key`; answers whether the field took it.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c):
            guard text.count < limit else { return true }
            text.append(c)
        case .backspace:
            if !text.isEmpty { text.removeLast() }
        case .control("u"):
            text = ""
        case .control("w"):
            while text.last == " " { text.removeLast() }
            while let last = text.last, last != " " { text.removeLast() }
        default:
            return false
        }
        return true
    }
}
