import Console
import Terminal
import Testing

@Suite("Key bindings")
struct KeyMapTests {
    @Test("a person's file rebinds an action and shows in help; defaults stay for the rest")
    func rebind() throws {
        let map = try KeyMap.load("[schedule]\ncheck-in = [\"i\", \"f5\"]\n[global]\nquit = \"ctrl-q\"\n", name: "keys.toml")
        #expect(map.action(for: .character("i"), in: .schedule) == .checkIn)
        #expect(map.action(for: .function(5), in: .schedule) == .checkIn)
        #expect(map.action(for: .character("c"), in: .schedule) == nil)
        #expect(map.action(for: .control("q"), in: .billing) == .quit)
        #expect(map.action(for: .character("q"), in: .billing) == nil)
        #expect(map.keys(for: .checkIn, in: .schedule).map(\.description) == ["i", "f5"])
    }

    @Test(
        "a binding that clashes is refused, naming the line and the action it would take over",
        arguments: [
            ("[schedule]\nbook = \"c\"\n", "keys.toml:2: 'c' already does check-in in [schedule]; bind check-in to another key first"),
            (
                "[schedule]\nbook = \"z\"\ncheck-in = \"z\"\n",
                "keys.toml:3: 'z' already does book in [schedule]; bind book to another key first"
            ),
            ("[schedule]\nbook = \"q\"\n", "keys.toml:2: 'q' would be book in [schedule] but quit everywhere else; choose another key"),
            ("[schedule]\nteleport = \"z\"\n", "keys.toml:2: 'teleport' is not an action; `chronoterm keys` lists them"),
            (
                "[kitchen]\nbook = \"z\"\n",
                "keys.toml:2: [kitchen] is not a place keys apply: use [global], [schedule], [search], [notes], [billing], [dialog]"
            ),
            (
                "[schedule]\nbook = \"ctrl-\"\n",
                "keys.toml:2: 'ctrl-' is not a key: use a character, space, ctrl-x, up, down, left, right, pgup, pgdn, home, end, enter, esc, tab, shift-tab, backspace, delete or f1–f12"
            ),
        ])
    func clashes(text: String, message: String) {
        do {
            _ = try KeyMap.load(text, name: "keys.toml")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("moving an action off a key frees it for another in the same file")
    func swap() throws {
        let map = try KeyMap.load("[schedule]\nbook = \"c\"\ncheck-in = \"i\"\n", name: "keys.toml")
        #expect(map.action(for: .character("c"), in: .schedule) == .book)
        #expect(map.action(for: .character("i"), in: .schedule) == .checkIn)
    }

    @Test("ncurses codes decode to keys; unknown codes and stray controls to nothing")
    func decoder() {
        #expect(KeyDecoder.decode(0o402, isKeyCode: true) == .key(.down))
        #expect(KeyDecoder.decode(0o632, isKeyCode: true) == .resize)
        #expect(KeyDecoder.decode(0o410 + 1, isKeyCode: true) == .key(.function(1)))
        #expect(KeyDecoder.decode(12, isKeyCode: false) == .key(.control("l")))
        #expect(KeyDecoder.decode(27, isKeyCode: false) == .key(.escape))
        #expect(KeyDecoder.decode(127, isKeyCode: false) == .key(.backspace))
        #expect(KeyDecoder.decode(0x00E9, isKeyCode: false) == .key(.character("é")))
        #expect(KeyDecoder.decode(0x9B, isKeyCode: false) == nil)
        #expect(KeyDecoder.decode(0x202E, isKeyCode: false) == nil)
        #expect(KeyDecoder.decode(0o777, isKeyCode: true) == nil)
        #expect(KeyDecoder.decode(0xD800, isKeyCode: false) == nil)
    }
}
