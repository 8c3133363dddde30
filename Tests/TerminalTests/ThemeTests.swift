import Console
import Foundation
import Terminal
import Testing

@Suite("Themes")
struct ThemeTests {
    static let themes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Themes").standardized

    @Test("the shipped themes load: dark, light, high-contrast, monochrome", arguments: ["dark", "light", "high-contrast", "monochrome"])
    func shipped(name: String) throws {
        let theme = try Theme.load(named: name, from: [Self.themes])
        #expect(theme.name == name)
        if name == "monochrome" {
            #expect(theme.styles.values.allSatisfy { $0.foreground == .terminalDefault && $0.background == .terminalDefault })
        } else {
            #expect(theme.style(.normal).background != .terminalDefault)
        }
    }

    @Test(
        "a theme with a mistake is refused with the line",
        arguments: [
            (
                "[normal]\nfg = \"#d8dee9\"\nshine = true\n",
                "t.toml:3: 'shine' is not a style setting: use fg, bg, bold, underline, reverse or dim"
            ),
            (
                "[normal]\nfg = \"#d8dxe9\"\n",
                "t.toml:2: '#d8dxe9' is not a colour: use #rrggbb, default, or an ANSI name such as red or bright-blue"
            ),
            (
                "name = \"x\"\n\n[sparkle]\nbold = true\n",
                "t.toml:3: [sparkle] is not a style; the styles are " + StyleName.allCases.map(\.rawValue).joined(separator: ", ")
            ),
            (
                "[normal]\nbg = \"#202020\"\n[muted]\nfg = \"#303030\"\n",
                "t.toml:3: [muted] text is unreadable on its background (contrast 1.2:1; at least 3:1 is needed)"
            ),
            (
                "[normal]\nfg = #fff\n",
                "t.toml:2: the value is missing (an unquoted # starts a comment: write colours in quotes, as \"#1e1e2e\")"
            ),
            ("[normal]\nbold = \"yes\"\n", "t.toml:2: bold is true or false"),
        ])
    func refused(text: String, message: String) {
        #expect(throws: SettingsFileError.self) { try Theme(parsing: text, file: "t.toml") }
        do { _ = try Theme(parsing: text, file: "t.toml") } catch { #expect(error.description == message) }
    }

    @Test("colours fall back: truecolour to the 256 palette to the 16")
    func fallback() throws {
        let orange = try #require(ThemeColor(name: "#ff8700"))
        #expect(orange.palette256 == 208)
        #expect(ThemeColor(name: "#ff1010")?.ansi(count: 16) == 9)
        #expect(ThemeColor(name: "#c00000")?.ansi(count: 16) == 1)
        #expect(ThemeColor(name: "#1c1c1c")?.palette256 == 234)
        #expect(ThemeColor(name: "bright-blue")?.ansi(count: 8) == 4)
        #expect(ThemeColor(name: "default") == .terminalDefault)
    }
}
