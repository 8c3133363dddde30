import ArgumentParser
import Console
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Terminal

struct PeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "The practice's people: who may open its console, as what, and with which SSH keys.",
        discussion: """
            A practice profile is one login to DrChrono — one mirror, one sync, one \
            budget — that every person of the practice reaches over SSH. Run these as the \
            account that owns the profile (the service account).

            Each key added with --ssh-key becomes a line in that account's \
            ~/.ssh/authorized_keys whose forced command opens the person's console and \
            nothing else (no shell, no forwarding): chronoterm console --person NAME. \
            Lines of that file outside chronoterm's block are left as they are.
            """,
        subcommands: [Add.self, List.self, Remove.self, Passphrase.self, Link.self, Folders.self])

    /// Options every `people` subcommand takes.
    struct Where: ParsableArguments {
        @OptionGroup var profileOptions: ProfileOptions

        @Option(
            help: ArgumentHelp(
                "The authorized_keys file sshd reads for this account (default: ~/.ssh/authorized_keys).", valueName: "file"))
        var authorizedKeys: String?

        var directory: ProfileDirectory { profileOptions.directory }

        func existing() throws -> ProfileDirectory {
            let directory = profileOptions.directory
            guard FileManager.default.fileExists(atPath: directory.file("profile.json").path) else {
                throw ValidationError(
                    "There is no profile '\(directory.name)'. As the service account, log in to the practice first: chronoterm login")
            }
            return directory
        }

        static func noSuchPerson(_ name: String) -> ValidationError {
            ValidationError("There is no '\(name)' in this practice (chronoterm people list).")
        }

        var keysFile: URL {
            if let authorizedKeys { return URL(fileURLWithPath: authorizedKeys) }
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            return URL(fileURLWithPath: home).appendingPathComponent(".ssh/authorized_keys")
        }

        /// Writes the registry and the authorized_keys block that follows from it.
        func save(_ people: PracticePeople, in directory: ProfileDirectory) throws {
            try people.save(to: directory)
            var program = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            // Every person's key runs this very file: one in a build folder is replaced or
            // moved by the next build, and every key with it.
            if program.contains("/.build/") {
                FileHandle.standardError.write(
                    Data(
                        """
                        Warning: the keys run \(program), a build folder's copy: the next build or a move breaks every \
                        person's key. Install chronoterm first (make install puts it in /usr/local/bin), then run \
                        chronoterm people again from there.

                        """.utf8))
            }
            // A console reached over SSH has no terminal to ask the vault's passphrase on:
            // it opens the vault with the key file this command was run with, and finds the
            // profile where this command found it.
            var environment = ProcessInfo.processInfo.environment
            // sshd starts the console with the account's own HOME: a profile found under
            // another HOME is named outright.
            let accountHome = getpwuid(getuid()).map { String(cString: $0.pointee.pw_dir) }
            if environment["XDG_CONFIG_HOME"] == nil, let home = environment["HOME"], home != accountHome {
                environment["XDG_CONFIG_HOME"] = ProfileDirectory.configHome(environment).path
            }
            let carried = ["CHRONOTERM_KEY_FILE", "XDG_CONFIG_HOME"].compactMap { name in
                environment[name].flatMap { $0.isEmpty ? nil : "\(name)=\($0)" }
            }
            if !carried.isEmpty { program = "/usr/bin/env \(carried.joined(separator: " ")) \(program)" }
            try AuthorizedKeys.update(keysFile, lines: AuthorizedKeys.lines(for: people, executable: program, profile: directory.name))
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a person (or change one): their role, doctors and SSH keys.",
            discussion: """
                Examples:
                  chronoterm people add maria --role front-desk --ssh-key maria.pub
                  chronoterm people add dr-patel --role clinician --doctor 101 --ssh-key patel.pub
                  chronoterm people add maria --mcp-key maria-agent.pub
                  chronoterm people add sam --theme light --keys sam-keys.toml
                  chronoterm people add nora --role front-desk --grant north --ssh-key nora.pub
                Run again with another --ssh-key to add a key; --role, --doctor, --grant, --theme \
                and --keys replace what was there (--grant all: the whole practice again). A person's theme and keys are their own; \
                without them the profile's are used (chronoterm keys lists the actions).
                """)

        @OptionGroup var place: Where

        @Argument(help: "Their name: lower-case letters, digits, '.', '-' or '_', starting with a letter.")
        var name: String

        @Option(help: "front-desk, billing or clinician: what they may change, and the pane they open on.")
        var role: String?

        @Option(
            name: .customLong("doctor"),
            help: ArgumentHelp(
                "A doctor whose day they see first: a last name (patel), a full name or DrChrono's id (101); repeat for several.",
                discussion: "A name no doctor of the practice has, or two have, lists the practice's doctors.", valueName: "doctor"))
        var doctors: [String] = []

        @Option(
            name: .customLong("ssh-key"),
            help: ArgumentHelp("Their public key file (id_ed25519.pub); repeat for several.", valueName: "file"))
        var sshKeys: [String] = []

        @Option(
            name: .customLong("mcp-key"),
            help: ArgumentHelp(
                "A public key for their AI agent: it opens `chronoterm mcp --person NAME` (ssh -T), not the console.",
                valueName: "file"))
        var mcpKeys: [String] = []

        @Option(
            help: ArgumentHelp(
                "The grant (chronoterm grants) whose side of the practice they see and write for; all: the whole practice.",
                discussion:
                    "A person of a grant finds none of the other doctors' patients anywhere, and their writes go through that login.",
                valueName: "grant"))
        var grant: String?

        @Option(help: "Their colours: a theme's name (dark, light, or one in the themes folder).")
        var theme: String?

        @Option(help: ArgumentHelp("Their own key bindings: a keys.toml (as chronoterm keys describes).", valueName: "file"))
        var keys: String?

        /// The doctors named, as DrChrono's ids: checked against the practice's copy when
        /// there is one (ids alone are taken as they are before the first sync).
        static func doctorIds(_ typed: [String], in directory: ProfileDirectory) throws -> [Int] {
            guard FileManager.default.fileExists(atPath: MirrorDatabase.file(in: directory)) else {
                return try typed.map { name in
                    guard let id = Int(name) else {
                        throw ValidationError(
                            "--doctor \(name): the practice's doctors are known after chronoterm sync; give the id, or sync first.")
                    }
                    return id
                }
            }
            let doctors = try MirrorDatabase.open(in: directory).read { db in try MirrorQueries.doctors(db) }
            return try typed.map { name in
                guard let doctor = Doctor.named(name, among: doctors) else {
                    let list = doctors.map { "\($0.id) \($0.fullName)" }.joined(separator: ", ")
                    throw ValidationError("--doctor \(name): no doctor of this practice answers to that. Its doctors: \(list).")
                }
                return doctor.id
            }
        }

        func validate() throws {
            guard PracticePeople.isValidName(name) else {
                throw ValidationError(
                    "'\(name)' cannot be a name here: use lower-case letters, digits, '.', '-' or '_', starting with a letter (as maria or dr-patel)."
                )
            }
            if let role, Role(rawValue: role) == nil { throw ValidationError("--role is front-desk, billing or clinician.") }
        }

        func run() throws {
            let directory = try place.existing()
            var people = try PracticePeople.load(from: directory)
            guard let role = role ?? people[name]?.role else {
                throw ValidationError("\(name) is new: give their --role (front-desk, billing or clinician).")
            }
            var person = people[name] ?? PracticePeople.Person(name: name, role: role)
            person.role = role
            if !doctors.isEmpty { person.doctors = try Self.doctorIds(doctors, in: directory) }
            if let grant {
                guard grant == "all" || directory.grantRecord(grant) != nil else {
                    let names = directory.grants().map(\.name)
                    throw ValidationError(
                        "--grant \(grant): this profile has no such grant"
                            + (names.isEmpty
                                ? " (it has none: chronoterm login --grant NAME adds one)."
                                : "; its grants: \(names.joined(separator: ", ")).")
                    )
                }
                person.grant = grant == "all" ? nil : grant
            }
            if let theme {
                do { _ = try Theme.load(named: theme) } catch { throw ValidationError("--theme \(theme): \(error)") }
                person.theme = theme
            }
            if let keys {
                guard let data = FileManager.default.contents(atPath: keys) else { throw ValidationError("Cannot read \(keys).") }
                let text = String(decoding: data, as: UTF8.self)
                do { _ = try KeyMap.load(text, name: keys) } catch { throw ValidationError("\(error)") }
                person.keyBindings = text
            }
            for (file, forAgent) in sshKeys.map({ ($0, false) }) + mcpKeys.map({ ($0, true) }) {
                guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file).") }
                let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter {
                    !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#")
                }
                guard !lines.isEmpty else { throw ValidationError("\(file) holds no key.") }
                for (index, line) in lines.enumerated() {
                    guard var key = SSHKey(line: line) else {
                        throw ValidationError(
                            "\(file), line \(index + 1), is not an OpenSSH public key (as 'ssh-ed25519 AAAA… name'). Give the .pub file, never the private key."
                        )
                    }
                    if let owner = people.people.first(where: { $0.keys.contains { $0.fingerprint == key.fingerprint } }),
                        owner.name != name
                    {
                        throw ValidationError("That key (\(key.fingerprint)) is already \(owner.name)'s: one key, one person.")
                    }
                    key.forAgent = forAgent ? true : nil
                    person.keys.removeAll { $0.fingerprint == key.fingerprint }
                    person.keys.append(key)
                }
            }
            people.put(person)
            try place.save(people, in: directory)
            print(
                "\(name): \(role)\(person.doctors.isEmpty ? "" : ", doctors \(person.doctors.map(String.init).joined(separator: ", "))"), "
                    + "\(person.keys.count) SSH \(person.keys.count == 1 ? "key" : "keys") in \(place.keysFile.path).")
            if person.passphrase == nil { print("Set their lock passphrase with: chronoterm people passphrase \(name)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the practice's people.")

        @OptionGroup var place: Where

        func run() throws {
            let people = try PracticePeople.load(from: try place.existing())
            guard !people.people.isEmpty else {
                print("No people yet. Add one with: chronoterm people add NAME --role front-desk --ssh-key NAME.pub")
                return
            }
            print("name".padding(toLength: 16, withPad: " ", startingAt: 0) + "role        doctors   sees        lock  writes as     keys")
            for person in people.people {
                let doctors = person.doctors.isEmpty ? "-" : person.doctors.map(String.init).joined(separator: ",")
                let columns: [(String, Int)] = [
                    (person.name, 16), (person.role, 12), (doctors, 10), (person.grant ?? "all", 12),
                    (person.passphrase == nil ? "no" : "yes", 6),
                    (person.linkedUser ?? "the practice", 13),
                ]
                let keys =
                    person.keys.isEmpty
                    ? "none" : person.keys.map { $0.fingerprint + ($0.forAgent == true ? " (agent)" : "") }.joined(separator: " ")
                print(columns.map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined() + keys)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a person: their keys stop working at once, and their open console closes within seconds.")

        @OptionGroup var place: Where

        @Argument(help: "Their name.")
        var name: String

        func run() throws {
            let directory = try place.existing()
            var people = try PracticePeople.load(from: directory)
            guard people.remove(name) != nil else { throw Where.noSuchPerson(name) }
            try place.save(people, in: directory)
            // Their linked DrChrono login goes with them (queued writes then go as the practice's).
            try? FileManager.default.removeItem(at: directory.person(name).url)
            print("\(name) is removed: their keys no longer open anything, and an open console of theirs closes within seconds.")
        }
    }

    struct Passphrase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a person's lock passphrase: what unlocks their console after it locks itself when idle.",
            discussion: "Asked twice on the terminal; without a terminal, read from the first line of standard input.")

        @OptionGroup var place: Where

        @Argument(help: "Their name.")
        var name: String

        func run() throws {
            let directory = try place.existing()
            var people = try PracticePeople.load(from: directory)
            guard var person = people[name] else { throw Where.noSuchPerson(name) }
            let passphrase: String
            if TTY.isInteractive {
                passphrase = TTY.secret("\(name)'s lock passphrase: ")
                guard TTY.secret("Type it again: ") == passphrase else { throw ValidationError("The two differ; nothing was changed.") }
            } else {
                passphrase = readLine(strippingNewline: true) ?? ""
            }
            guard passphrase.count >= 8 else { throw ValidationError("Use a passphrase of at least 8 characters.") }
            person.passphrase = try LockPassphrase(passphrase)
            people.put(person)
            try people.save(to: directory)
            print("\(name)'s lock passphrase is set.")
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link a person to their own DrChrono login: their writes then carry their name in DrChrono's records.",
            discussion: """
                Prints an address for the person to open in their browser, sign in to \
                DrChrono as themselves and choose Authorize; the browser then fails to \
                load a 127.0.0.1 page: paste that page's whole address back here. The \
                login is kept, sealed like the practice's, in the profile's people folder.

                From then on the bookings, charges and changes the person makes are sent \
                with their own login, so DrChrono's audit log names them; everything read \
                still goes through the practice's login and its one request budget. \
                Unlinked people write through the practice's login. \
                chronoterm people remove takes the link away with the person.
                """)

        @OptionGroup var place: Where

        @Argument(help: "Their name.")
        var name: String

        func run() async throws {
            let directory = try place.existing()
            var people = try PracticePeople.load(from: directory)
            guard var person = people[name] else { throw Where.noSuchPerson(name) }
            let profile = try place.profileOptions.open()
            let oauth = try profile.oauth(clientSecret: try profile.vault.load().clientSecret)
            let state = UUID().uuidString
            let url = oauth.authorizeURL(scopes: profile.settings.scopes, state: state)
            TTY.say(
                """
                \(name): open this address in a browser, sign in to DrChrono as \(name) (not as the practice) and choose Authorize:

                  \(url.absoluteString)

                The browser then tries to open a 127.0.0.1 page and fails; that is expected.
                """)
            guard let pasted = TTY.ask("Paste the whole address from the browser's address bar here: "), !pasted.isEmpty else {
                throw ValidationError("Nothing was pasted; \(name) was not linked.")
            }
            let code = try OAuthClient.code(fromRedirect: pasted, state: state)
            // Their login must be of this practice, and not the practice's own; a login
            // not checked (DrChrono unreachable) is not kept either: writes would go with it.
            let user: CurrentUser
            do {
                user = try await FurtherLogin.keep(code: code, through: oauth, in: profile.personVault(name), profile: profile) {
                    try profile.client(forPerson: name)
                }
            } catch FurtherLogin.Refusal.otherPractice(let user, _) {
                throw ValidationError("That DrChrono login (\(user.username)) is of another practice; \(name) was not linked.")
            } catch FurtherLogin.Refusal.practiceOwn(let user) {
                throw ValidationError(
                    "That is the practice's own DrChrono login (\(user.username)): \(name) must sign in as themselves. Nothing was linked.")
            }
            person.linkedUser = user.username
            people.put(person)
            try people.save(to: directory)
            print("\(name) is linked to DrChrono user \(user.username): their writes now go with that login.")
        }
    }
}
