import DrChronoAPI
import Foundation
import MCP

/// ``AgentDesk`` on MCP: its tools (with their schemas and what they may do, as MCP's
/// annotations say it), the same reads as resources (`chronoterm://schedule/2026-12-03`,
/// `chronoterm://patient/10001`), on a ``LineTransport``. Runs until its input closes.
public enum MCPServer {
    static let instructions = """
        The practice's DrChrono, from a local copy: reads cost no request to DrChrono. Jobs (book, set_status, \
        take_payment, add_charge …) answer a preview and a token and change nothing; show the person what would \
        happen, and only if they agree call confirm with the token. write_queue lists what waits; cancel_write \
        takes a write back before it leaves.
        """

    /// Serves `desk` until the transport's input ends.
    public static func run(_ desk: AgentDesk, version: String, transport: any Transport) async throws {
        let server = Server(
            name: "chronoterm", version: version, title: "chronoterm — the practice's DrChrono", instructions: instructions,
            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: desk.tools.map(tool))
        }
        await server.withMethodHandler(CallTool.self) { call in
            var arguments = JSONObject()
            for (key, value) in call.arguments ?? [:] { arguments[key] = json(value) }
            let answer = await desk.call(call.name, arguments: arguments, ask: { question in await ask(question, through: server) })
            return CallTool.Result(
                content: [.text(text: answer.text, annotations: nil, _meta: nil)], structuredContent: value(answer.structured) as Value?,
                isError: answer.isError)
        }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            ListResourceTemplates.Result(templates: [
                Resource.Template(
                    uriTemplate: "chronoterm://schedule/{day}", name: "schedule", description: "A day's visits (YYYY-MM-DD)",
                    mimeType: "application/json"),
                Resource.Template(
                    uriTemplate: "chronoterm://patient/{id}", name: "patient", description: "A patient's summary",
                    mimeType: "application/json"),
            ])
        }
        await server.withMethodHandler(ListResources.self) { _ in
            ListResources.Result(resources: [
                Resource(name: "Today's schedule", uri: "chronoterm://schedule/today", mimeType: "application/json"),
                Resource(name: "Tomorrow's visits to confirm", uri: "chronoterm://confirmation/tomorrow", mimeType: "application/json"),
            ])
        }
        await server.withMethodHandler(ReadResource.self) { request in
            guard let (tool, arguments) = resource(request.uri) else {
                throw MCPError.invalidParams("Unknown resource \(request.uri): chronoterm://schedule/DAY or chronoterm://patient/ID")
            }
            let answer = await desk.call(tool, arguments: arguments)
            if answer.isError { throw MCPError.invalidParams(answer.text) }
            return ReadResource.Result(contents: [.text(answer.text, uri: request.uri, mimeType: "application/json")])
        }
        try await server.start(transport: transport)
        await server.waitUntilCompleted()
    }

    /// A yes-or-no question to the person at the client (MCP elicitation); nil when the
    /// client did not say it can ask, or the asking failed.
    static func ask(_ question: String, through server: Server) async -> Bool? {
        let schema = Elicitation.RequestSchema(
            title: "chronoterm", properties: ["confirm": .object(["type": "boolean", "title": "Do it", "default": false])],
            required: ["confirm"])
        guard let result = try? await server.requestElicitation(message: question, requestedSchema: schema) else { return nil }
        return result.action == .accept && result.content?["confirm"]?.boolValue == true
    }

    /// The tool a resource reads, and its arguments.
    static func resource(_ uri: String) -> (String, JSONObject)? {
        guard uri.hasPrefix("chronoterm://") else { return nil }
        let parts = uri.dropFirst("chronoterm://".count).split(separator: "/").map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "schedule": return ("schedule", ["day": .string(parts[1] == "today" ? "T" : parts[1])])
        case "patient": return Int(parts[1]).map { ("patient_summary", ["patient": .int($0)]) }
        case "confirmation": return ("confirmation_list", ["day": .string(parts[1] == "tomorrow" ? "T+1" : parts[1])])
        default: return nil
        }
    }

    static func tool(_ tool: AgentTool) -> Tool {
        // Reads change nothing and reach nothing beyond the local copy; a job's preview
        // changes nothing either, but confirm sends what it names to DrChrono.
        let annotations = Tool.Annotations(
            title: tool.rawValue.replacingOccurrences(of: "_", with: " "), readOnlyHint: !tool.writes,
            destructiveHint: tool.writes ? tool.isDestructive : nil, idempotentHint: tool.writes ? tool.isJob : true,
            openWorldHint: tool == .confirm || tool == .cancelWrite)
        return Tool(name: tool.rawValue, description: tool.summary, inputSchema: value(tool.inputSchema), annotations: annotations)
    }

    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .array(let list): .array(list.map(value))
        case .object(let object): .object(Dictionary(object.pairs.map { ($0.key, value($0.value)) }) { first, _ in first })
        }
    }

    static func json(_ value: Value) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .data(_, let data): .string(data.base64EncodedString())
        case .array(let list): .array(list.map(json))
        case .object(let object):
            .object(object.keys.sorted().reduce(into: JSONObject()) { result, key in result[key] = json(object[key]!) })
        }
    }
}
