/// The `:` command prompt: a command typed with Tab completion, k9s-style.
public struct CommandPrompt: Sendable, Equatable {
    public struct Command: Sendable, Equatable {
        public var name: String
        public var argument: String?
        public var summary: String
    }

    /// The commands the prompt offers, in the order the help lists them.
    public static let commands: [Command] = ConsoleCommand.allCases.filter(\.isListed).map {
        Command(name: $0.rawValue, argument: $0.argument, summary: $0.summary)
    }

    public var field = TextField(limit: 120)
    /// What Tab offered last; shown under the line.
    public var candidates: [String] = []
    public var error: String?

    public init() {}

    /// Completes the command name, or a theme name after `theme `.
    public mutating func complete(themes: [String]) {
        let text = field.text
        let options: [String]
        let prefix: String
        if let space = text.firstIndex(of: " ") {
            guard text[..<space] == "theme" else { candidates = []; return }
            prefix = String(text[text.index(after: space)...])
            options = themes.filter { $0.hasPrefix(prefix) }.map { "theme " + $0 }
        } else {
            prefix = text
            options = Self.commands.map(\.name).filter { $0.hasPrefix(prefix) }
        }
        candidates = options
        guard let first = options.first else { error = "No command starts with '\(text)'"; return }
        error = nil
        var common = first
        for option in options.dropFirst() { while !option.hasPrefix(common) { common.removeLast() } }
        if options.count == 1 {
            field.text = first + (Self.commands.first { $0.name == first }?.argument != nil ? " " : "")
        } else if common.count > field.text.count {
            field.text = common
        }
    }
}
