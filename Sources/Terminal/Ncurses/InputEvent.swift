import Console

/// What the terminal said: a key, that its window changed size, or that it is gone
/// (the SSH connection dropped, the window closed, the console was left in the
/// background of a terminal it no longer owns).
public enum InputEvent: Sendable, Equatable {
    case key(Key)
    case resize
    case terminalLost
    /// A watched file of the profile's folder changed (``FolderWatch``): the mirror.
    case wake
    /// The console's inbox has messages (or keys typed ahead may go): drain it, no tick.
    case inbox
}

/// Turns what ncurses' `get_wch` answers into keys. Pure, so it is tested (and fuzzed)
/// without a terminal.
public enum KeyDecoder {
    // ncurses' key codes (curses.h), answered with KEY_CODE_YES.
    static let down: UInt32 = 0o402, up: UInt32 = 0o403, left: UInt32 = 0o404, right: UInt32 = 0o405
    static let home: UInt32 = 0o406, backspace: UInt32 = 0o407, f0: UInt32 = 0o410, delete: UInt32 = 0o512
    static let pageDown: UInt32 = 0o522, pageUp: UInt32 = 0o523, enter: UInt32 = 0o527, backTab: UInt32 = 0o541
    static let end: UInt32 = 0o550, resize: UInt32 = 0o632

    /// `code` is the character or key code; `isKeyCode` is true when ncurses answered
    /// KEY_CODE_YES (a function key) rather than a character.
    public static func decode(_ code: UInt32, isKeyCode: Bool) -> InputEvent? {
        if isKeyCode {
            switch code {
            case down: return .key(.down)
            case up: return .key(.up)
            case left: return .key(.left)
            case right: return .key(.right)
            case home: return .key(.home)
            case end: return .key(.end)
            case backspace: return .key(.backspace)
            case delete: return .key(.delete)
            case pageDown: return .key(.pageDown)
            case pageUp: return .key(.pageUp)
            case enter: return .key(.enter)
            case backTab: return .key(.backTab)
            case resize: return .resize
            case (f0 + 1)...(f0 + 12): return .key(.function(Int(code - f0)))
            default: return nil
            }
        }
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.control(Character(UnicodeScalar(code + 96)!)))
        case 0, 28...31: return nil
        default:
            guard let scalar = UnicodeScalar(code), !(0x80...0x9F).contains(code),
                scalar.properties.generalCategory != .format || code == 0x200D
            else { return nil }
            return .key(.character(Character(scalar)))
        }
    }
}
