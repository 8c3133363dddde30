import ArgumentParser
import Foundation

/// Exports are the office manager's: a person's key reaches the console or the MCP server
/// only (its forced command), and a process started by one refuses to export.
enum OfficeManagerOnly {
    static func check(_ what: String) throws {
        guard ProcessInfo.processInfo.environment["SSH_ORIGINAL_COMMAND"] == nil else {
            throw ValidationError(
                "\(what) is the office manager's: run it from the practice's account, not through a person's key.")
        }
    }
}
