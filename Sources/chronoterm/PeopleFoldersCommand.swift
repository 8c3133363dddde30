import ArgumentParser
import DrChronoAPI
import Foundation

extension PeopleCommand {
    /// The two folders people's consoles may reach: nothing else of the service account's.
    struct Folders: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set the only folders people's consoles may save documents to and attach scans from.",
            discussion: """
                A person's console runs as the service account, so it never writes or lists \
                anything of that account's but these two folders. In the console a person types \
                a file's name, never a path: no folders, no names starting with a dot, no links \
                followed, no file overwritten.

                --documents DIR: where `s` on a chart's document saves a copy (absent: saving \
                is off). --inbox DIR: where scans to attach are read from (absent: attaching is \
                off). Each must be an existing folder of its own — not the account's home, not \
                the profile's folder, not one another — readable by the account only (chmod 700).
                """)

        @OptionGroup var place: PeopleCommand.Where

        @Option(help: ArgumentHelp("The folder copies of chart documents are saved to.", valueName: "folder"))
        var documents: String?

        @Option(help: ArgumentHelp("The folder scans are attached from.", valueName: "folder"))
        var inbox: String?

        @Flag(help: "Turn saving copies off.")
        var noDocuments = false

        @Flag(help: "Turn attaching off.")
        var noInbox = false

        func run() throws {
            let directory = try place.existing()
            var settings = try ProfileSettings.load(from: directory)
            if let documents { settings.documentsFolder = try Self.checked(documents, profile: directory) }
            if let inbox { settings.inboxFolder = try Self.checked(inbox, profile: directory) }
            if noDocuments { settings.documentsFolder = nil }
            if noInbox { settings.inboxFolder = nil }
            if let documents = settings.documentsFolder, documents == settings.inboxFolder {
                throw ValidationError("The documents folder and the inbox must be two folders: a saved copy is not a scan to attach.")
            }
            if documents != nil || inbox != nil || noDocuments || noInbox { try settings.save(to: directory) }
            print("Saved copies go to: \(settings.documentsFolder ?? "nowhere — saving is off")")
            print("Scans are attached from: \(settings.inboxFolder ?? "nowhere — attaching is off")")
        }

        /// The folder as an absolute path with no link in it, or why it cannot be one.
        static func checked(_ typed: String, profile: ProfileDirectory) throws -> String {
            let expanded = (typed as NSString).expandingTildeInPath
            let absolute = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
            guard let real = realpath(absolute, nil) else {
                throw ValidationError("There is no folder \(typed): make it first (mkdir -m 700 \(typed)).")
            }
            let path = String(cString: real)
            free(real)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("\(typed) is not a folder.")
            }
            let home = (NSHomeDirectory() as NSString).standardizingPath
            let profileFolder = (profile.url.path as NSString).standardizingPath
            if path == "/" || path == home || path.split(separator: "/").contains(where: { $0.hasPrefix(".") })
                || path == profileFolder || path.hasPrefix(profileFolder + "/") || profileFolder.hasPrefix(path + "/")
            {
                throw ValidationError(
                    "\(typed) holds the account's own files: give a folder of its own, such as ~/chronoterm-documents.")
            }
            let mode = ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? 0
            if mode & 0o077 != 0 {
                throw ValidationError("\(typed) can be read by others: documents are PHI. Run chmod 700 \(typed), then again.")
            }
            return path
        }
    }
}
