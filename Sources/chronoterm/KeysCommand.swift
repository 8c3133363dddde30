import ArgumentParser
import Console
import Foundation

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List the console's actions and their keys, with your keys.toml applied.",
        discussion: """
            Each action's name is what ~/.config/chronoterm/keys.toml binds, under \
            [global], [schedule], [search], [notes] or [billing]: \
            check-in = ["i", "f5"]. A file with a mistake is reported with its line.
            """)

    func run() throws {
        var map = KeyMap.defaults
        let file = KeyMap.userFile()
        if let data = FileManager.default.contents(atPath: file.path) {
            do { map = try KeyMap.load(String(decoding: data, as: UTF8.self), name: file.path) } catch {
                throw ValidationError("\(error)")
            }
            print("With \(file.path):\n")
        }
        for context in KeyContext.allCases {
            print("[\(context.rawValue)]")
            for (action, keys) in map.bound(in: context) {
                let names = keys.map(\.description).joined(separator: " ")
                print(
                    "  " + action.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)
                        + names.padding(toLength: 14, withPad: " ", startingAt: 0) + action.summary)
            }
            print("")
        }
    }
}
