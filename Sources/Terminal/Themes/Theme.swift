import Foundation

/// A colour as a theme names it: the terminal's own, one of the 16 ANSI colours, or
/// an RGB value that is shown exactly where the terminal can and approximated where not.
public enum ThemeColor: Sendable, Equatable {
    case terminalDefault
    case ansi(Int)
    case rgb(UInt8, UInt8, UInt8)

    static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]
    /// xterm's values for the 16, used to approximate and to judge contrast.
    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    public init?(name: String) {
        let lower = name.lowercased()
        if lower == "default" { self = .terminalDefault; return }
        if let index = Self.ansiNames.firstIndex(of: lower) { self = .ansi(index); return }
        guard lower.hasPrefix("#"), lower.count == 7, let value = UInt32(lower.dropFirst(), radix: 16) else { return nil }
        self = .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }

    public var rgb: (UInt8, UInt8, UInt8)? {
        switch self {
        case .terminalDefault: nil
        case .ansi(let index): Self.ansiRGB[index]
        case .rgb(let r, let g, let b): (r, g, b)
        }
    }

    /// The nearest entry of xterm's 256-colour palette.
    public var palette256: Int {
        switch self {
        case .terminalDefault: return -1
        case .ansi(let index): return index
        case .rgb(let r, let g, let b):
            func level(_ v: UInt8) -> Int { v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40 }
            let cube = 16 + 36 * level(r) + 6 * level(g) + level(b)
            let levels = [0, 95, 135, 175, 215, 255]
            let cubeRGB = (levels[level(r)], levels[level(g)], levels[level(b)])
            let average = (Int(r) + Int(g) + Int(b)) / 3
            let grayIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
            let gray = 8 + grayIndex * 10
            func distance(_ c: (Int, Int, Int)) -> Int {
                let dr = c.0 - Int(r)
                let dg = c.1 - Int(g)
                let db = c.2 - Int(b)
                return dr * dr + dg * dg + db * db
            }
            return distance((gray, gray, gray)) < distance(cubeRGB) ? 232 + grayIndex : cube
        }
    }

    /// The nearest of the 16 ANSI colours (of the first `count`, for 8-colour terminals).
    public func ansi(count: Int) -> Int {
        switch self {
        case .terminalDefault: return -1
        case .ansi(let index): return index < count ? index : index - 8
        case .rgb(let r, let g, let b):
            var best = 0
            var bestDistance = Int.max
            for (index, c) in Self.ansiRGB.prefix(count).enumerated() {
                let dr = Int(c.0) - Int(r)
                let dg = Int(c.1) - Int(g)
                let db = Int(c.2) - Int(b)
                let d = dr * dr + dg * dg + db * db
                if d < bestDistance { (best, bestDistance) = (index, d) }
            }
            return best
        }
    }
}

/// How one named style looks.
public struct ThemeStyle: Sendable, Equatable {
    public var foreground = ThemeColor.terminalDefault
    public var background = ThemeColor.terminalDefault
    public var bold = false
    public var underline = false
    public var reverse = false
    public var dim = false

    public init(
        foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault, bold: Bool = false, underline: Bool = false,
        reverse: Bool = false, dim: Bool = false
    ) {
        (self.foreground, self.background, self.bold, self.underline, self.reverse, self.dim) = (
            foreground, background, bold, underline, reverse, dim
        )
    }

    /// The style with its colours dropped (NO_COLOR, monochrome terminals): attributes
    /// carry the meaning alone.
    public var withoutColour: ThemeStyle {
        ThemeStyle(bold: bold, underline: underline, reverse: reverse, dim: dim)
    }
}

/// A set of styles, read from a TOML file in `Themes/`.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [StyleName: ThemeStyle]

    public init(name: String, styles: [StyleName: ThemeStyle]) { (self.name, self.styles) = (name, styles) }

    public func style(_ name: StyleName) -> ThemeStyle { styles[name] ?? styles[.normal] ?? ThemeStyle() }

    /// Used when no theme file can be found: attributes only, readable anywhere.
    public static let builtIn = Theme(
        name: "built-in",
        styles: [
            .normal: ThemeStyle(), .muted: ThemeStyle(dim: true), .border: ThemeStyle(dim: true), .title: ThemeStyle(bold: true),
            .tab: ThemeStyle(), .tabActive: ThemeStyle(bold: true, reverse: true), .header: ThemeStyle(bold: true, underline: true),
            .cursor: ThemeStyle(reverse: true), .selected: ThemeStyle(reverse: true), .input: ThemeStyle(underline: true),
            .statusBar: ThemeStyle(reverse: true), .offline: ThemeStyle(bold: true, reverse: true), .message: ThemeStyle(bold: true),
            .error: ThemeStyle(bold: true), .warning: ThemeStyle(bold: true), .breakTime: ThemeStyle(dim: true),
            .pending: ThemeStyle(underline: true),
            .conflict: ThemeStyle(bold: true, underline: true), .match: ThemeStyle(reverse: true), .overlay: ThemeStyle(),
            .statusBooked: ThemeStyle(), .statusArrived: ThemeStyle(bold: true), .statusInRoom: ThemeStyle(bold: true),
            .statusComplete: ThemeStyle(dim: true), .statusCancelled: ThemeStyle(dim: true), .statusNoShow: ThemeStyle(dim: true),
        ])

    /// WCAG's contrast ratio between two colours: 1 (none) to 21 (black on white).
    static func contrast(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Double {
        func luminance(_ c: (UInt8, UInt8, UInt8)) -> Double {
            func channel(_ v: UInt8) -> Double {
                let s = Double(v) / 255
                return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
        }
        let (l1, l2) = (luminance(a), luminance(b))
        return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)
    }
}
