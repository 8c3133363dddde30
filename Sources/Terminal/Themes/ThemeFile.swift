import Console
import Foundation

extension Theme {
    /// The least contrast a theme may give text against its background.
    public static let minimumContrast = 3.0

    /// Reads a theme: a `name`, then a `[style]` section per named style with `fg`,
    /// `bg` (`#rrggbb`, an ANSI name such as `bright-blue`, or `default`) and the
    /// attributes `bold`, `underline`, `reverse`, `dim`. Styles left out look like
    /// `normal`. Unknown keys, bad colours and unreadable contrast are refused with the line.
    public init(parsing text: String, file: String) throws(SettingsFileError) {
        let settings = try SettingsFile(parsing: text, name: file)
        var name = (file as NSString).lastPathComponent.replacingOccurrences(of: ".toml", with: "")
        var styles: [StyleName: ThemeStyle] = [:]
        var lines: [StyleName: Int] = [:]
        for entry in settings.entries(in: "") {
            switch (entry.key, entry.value) {
            case ("name", .string(let value)): name = value
            case ("description", .string): break
            default:
                throw SettingsFileError(
                    file: file, line: entry.line,
                    message: "'\(entry.key)' is not a theme setting: use name and description, then a [style] section per style")
            }
        }
        for section in settings.sections {
            guard let style = StyleName(rawValue: section.name) else {
                throw SettingsFileError(
                    file: file, line: section.line,
                    message:
                        "[\(section.name)] is not a style; the styles are \(StyleName.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var value = ThemeStyle()
            for entry in settings.entries(in: section.name) {
                switch (entry.key, entry.value) {
                case ("fg", .string(let colour)), ("bg", .string(let colour)):
                    guard let parsed = ThemeColor(name: colour) else {
                        throw SettingsFileError(
                            file: file, line: entry.line,
                            message: "'\(colour)' is not a colour: use #rrggbb, default, or an ANSI name such as red or bright-blue")
                    }
                    if entry.key == "fg" { value.foreground = parsed } else { value.background = parsed }
                case ("bold", .bool(let on)): value.bold = on
                case ("underline", .bool(let on)): value.underline = on
                case ("reverse", .bool(let on)): value.reverse = on
                case ("dim", .bool(let on)): value.dim = on
                case ("bold", _), ("underline", _), ("reverse", _), ("dim", _):
                    throw SettingsFileError(file: file, line: entry.line, message: "\(entry.key) is true or false")
                case ("fg", _), ("bg", _):
                    throw SettingsFileError(file: file, line: entry.line, message: "\(entry.key) is a colour in quotes, as \"#1e1e2e\"")
                default:
                    throw SettingsFileError(
                        file: file, line: entry.line,
                        message: "'\(entry.key)' is not a style setting: use fg, bg, bold, underline, reverse or dim")
                }
            }
            styles[style] = value
            lines[style] = section.line
        }
        // Contrast: a style's text against its own background, or normal's when it
        // leaves the background to the terminal.
        let normalBackground = styles[.normal]?.background.rgb
        for (style, value) in styles {
            guard let fg = value.foreground.rgb, let bg = value.background.rgb ?? normalBackground else { continue }
            let ratio = Theme.contrast(fg, bg)
            if ratio < Theme.minimumContrast {
                throw SettingsFileError(
                    file: file, line: lines[style] ?? 1,
                    message:
                        "[\(style.rawValue)] text is unreadable on its background (contrast \(String(format: "%.1f", ratio)):1; at least \(Int(Theme.minimumContrast)):1 is needed)"
                )
            }
        }
        self.init(name: name, styles: styles)
    }

    /// Where themes are looked for, first match wins: the person's own folder, then
    /// CHRONOTERM_THEMES, then `Themes/` beside the source tree the binary was built in
    /// and in the current folder, then a system-wide share.
    public static func searchPath(
        environment: [String: String] = ProcessInfo.processInfo.environment, executable: String = CommandLine.arguments.first ?? ""
    ) -> [URL] {
        var folders: [URL] = []
        let config =
            environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        folders.append(config.appendingPathComponent("chronoterm/themes"))
        if let own = environment["CHRONOTERM_THEMES"] { folders.append(URL(fileURLWithPath: own)) }
        // .build/debug/chronoterm → the package's Themes/
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        folders.append(binary.deletingLastPathComponent().appendingPathComponent("../../../Themes").standardized)
        folders.append(binary.deletingLastPathComponent().appendingPathComponent("../share/chronoterm/themes").standardized)
        folders.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Themes"))
        folders.append(URL(fileURLWithPath: "/usr/local/share/chronoterm/themes"))
        return folders
    }

    /// The names of the themes that can be found.
    public static func available(in folders: [URL] = searchPath()) -> [String] {
        var names = Set<String>()
        for folder in folders {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where file.hasSuffix(".toml") {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }

    /// Loads the theme called `name` from the first folder that has it.
    public static func load(named name: String, from folders: [URL] = searchPath()) throws -> Theme {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !name.isEmpty else {
            throw ThemeNotFound(name: name, folders: folders)
        }
        for folder in folders {
            let file = folder.appendingPathComponent(name + ".toml")
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            return try Theme(parsing: String(decoding: data, as: UTF8.self), file: file.path)
        }
        throw ThemeNotFound(name: name, folders: folders)
    }
}

public struct ThemeNotFound: Error, CustomStringConvertible {
    public var name: String
    public var folders: [URL]

    public var description: String {
        let known = Theme.available(in: folders)
        return "There is no theme '\(name)'" + (known.isEmpty ? "." : "; there are \(known.joined(separator: ", ")).")
    }
}
