import Synchronization

/// A theme chosen with `:theme`, loaded off the drawing thread and handed to it: the
/// screen (ncurses) is touched by the drawing thread alone, which applies it before its
/// next frame.
public final class ThemeSwitch: Sendable {
    private let chosen = Mutex<Theme?>(nil)
    /// Whether the terminal shows colour (`NO_COLOR` unset).
    public let colour: Bool

    public init(colour: Bool) { self.colour = colour }

    /// Loads the named theme for the next frame; answers the problem when it cannot be.
    public func choose(_ name: String) -> String? {
        do {
            let theme = try Theme.load(named: name)
            chosen.withLock { $0 = theme }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The theme chosen since the last frame, once.
    func take() -> Theme? {
        chosen.withLock { chosen in
            defer { chosen = nil }
            return chosen
        }
    }
}
