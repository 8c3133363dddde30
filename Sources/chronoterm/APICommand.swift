import ArgumentParser
import DrChronoAPI
import Foundation

struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Send an authenticated request to DrChrono and print the JSON answer.",
        discussion: """
            For the practice's engineer: any DrChrono endpoint, through the profile's \
            tokens and request budget. Fields given with -f are sent as the query of a \
            GET and as a JSON body otherwise; -F sends numbers, true, false and null \
            typed.

              chronoterm api GET /api/users/current
              chronoterm api GET /api/appointments -f date=2026-03-04 --paginate
              chronoterm api PATCH /api/appointments/123 -f status=Arrived
            """)

    @OptionGroup var profileOptions: ProfileOptions

    @Argument(help: "GET, POST, PATCH, PUT or DELETE.")
    var method: String

    @Argument(help: "The path, as /api/patients/123.")
    var path: String

    @Option(name: .customShort("f"), help: ArgumentHelp("A field, as key=value (a string).", valueName: "key=value"))
    var fields: [String] = []

    @Option(name: .customShort("F"), help: ArgumentHelp("A typed field: numbers, true, false and null as JSON.", valueName: "key=value"))
    var typedFields: [String] = []

    @Flag(help: "Follow `next` to the last page and print all results as one list.")
    var paginate = false

    func validate() throws {
        guard ["GET", "POST", "PATCH", "PUT", "DELETE"].contains(method.uppercased()) else {
            throw ValidationError("METHOD must be GET, POST, PATCH, PUT or DELETE.")
        }
        guard path.hasPrefix("/") else { throw ValidationError("PATH starts with /, as /api/doctors.") }
        for field in fields + typedFields where !field.contains("=") { throw ValidationError("'\(field)' is not key=value.") }
        if paginate && method.uppercased() != "GET" { throw ValidationError("--paginate follows pages of a GET.") }
    }

    func run() async throws {
        let client = try profileOptions.open().client()
        var values = JSONObject()
        for field in fields {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[String(parts[0])] = .string(String(parts[1]))
        }
        for field in typedFields {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // As `gh api -F`: what is not JSON is refused, never sent as a string in its place.
            guard let value = try? JSONValue.parse(Data(parts[1].utf8)) else {
                throw ValidationError(
                    "-F \(parts[0])=\(parts[1]): '\(parts[1])' is not JSON (a number, true, false, null, \"quoted text\", [a list] or {an object}). For text, use -f \(parts[0])=\(parts[1])."
                )
            }
            values[String(parts[0])] = value
        }
        let verb = method.uppercased()
        if paginate {
            var all: [JSONValue] = []
            for try await page in client.pages(path, query: query(values), priority: .interactive) {
                all += page.map { .object($0) }
                TTY.say("… \(all.count) rows")
            }
            print(JSONValue.array(all).prettyString)
            return
        }
        let call: DrChronoClient.Call
        switch verb {
        case "GET": call = .get(path, query: query(values))
        case "DELETE": call = .delete(path)
        case "POST": call = .post(path, json: .object(values))
        case "PATCH": call = .patch(path, json: .object(values))
        default: call = .put(path, json: .object(values))
        }
        // Errors print as their description: words for the person, not a status code.
        let response = try await client.send(call, priority: verb == "GET" ? .interactive : .write)
        if let json = response.json {
            print(json.prettyString)
        } else if !response.body.isEmpty {
            print(String(decoding: response.body, as: UTF8.self))
        } else {
            TTY.say("\(response.status): done, nothing to show.")
        }
    }

    private func query(_ values: JSONObject) -> [String: String] {
        var query: [String: String] = [:]
        for (key, value) in values.pairs { query[key] = value.stringValue ?? value.serializedString }
        return query
    }
}
