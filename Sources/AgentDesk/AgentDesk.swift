import Crypto
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Synchronization

/// The practice for an agent: what one person may read and do, from the local copy and
/// through the practice's own jobs (``Desk``). Every tool answers from the mirror at no
/// request to DrChrono; a job is previewed (the same checks, rolled back) and queued only
/// when its token comes back through `confirm`; every call is in the audit trail, by
/// the tool's name and a hash of its arguments — never what they said.
///
/// Independent of MCP's wire: ``MCPServer`` puts it on standard input and output.
public final class AgentDesk: Sendable {
    let mirror: MirrorDatabase
    let person: ActingPerson
    let readOnly: Bool
    let zone: TimeZone
    let clock: @Sendable () -> Date
    /// The hour's requests left and the hourly budget, as the practice's client counts them.
    let budget: @Sendable () async -> (left: Int, hourly: Int)?
    /// Whether the person is still one of the practice's (with the key they came with):
    /// asked at every call, so a person removed loses their agent at its next call.
    let admitted: @Sendable () -> Bool
    /// This server's own key for its tokens, made when it starts: a token is good only
    /// where it was given, and for as long as that server runs.
    private let keyBytes = Data((0..<32).map { _ in UInt8.random(in: .min ... .max) })
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    /// Tokens already confirmed: each queues its job once.
    let used = Mutex<Set<String>>([])

    public init(
        mirror: MirrorDatabase, person: ActingPerson, readOnly: Bool, zone: TimeZone, clock: @escaping @Sendable () -> Date = { Date() },
        budget: @escaping @Sendable () async -> (left: Int, hourly: Int)? = { nil }, admitted: @escaping @Sendable () -> Bool = { true }
    ) {
        (self.mirror, self.person, self.readOnly, self.zone, self.clock, self.budget) = (mirror, person, readOnly, zone, clock, budget)
        self.admitted = admitted
    }

    /// The practice's wall clock now.
    var now: LocalDateTime { LocalDateTime(clock(), in: zone) }

    /// The tools this person is offered, in the catalogue's order.
    public var tools: [AgentTool] { AgentTool.allCases.filter { $0.offered(to: person, readOnly: readOnly) } }

    /// Asks the person at the agent's client a yes-or-no question (MCP elicitation):
    /// true yes, false no, nil when the client cannot ask.
    public typealias Asker = @Sendable (String) async -> Bool?

    /// Runs a tool by name: its answer, or why it did nothing. With `ask`, a job is put to
    /// the person directly (what would happen, and the warnings) instead of answered with
    /// a token: their yes queues it, their no queues nothing.
    public func call(_ name: String, arguments: JSONObject, ask: Asker? = nil) async -> ToolAnswer {
        guard let tool = AgentTool(rawValue: name) else {
            return .failure("There is no tool '\(name)'. The tools are: \(tools.map(\.rawValue).joined(separator: ", ")).")
        }
        let answer: ToolAnswer
        if !admitted() {
            answer = .failure("\(person.name ?? "This person") is no longer one of the practice's people: nothing more is answered.")
        } else if !tool.offered(to: person, readOnly: readOnly) {
            answer = .failure(
                readOnly && tool.writes
                    ? "This server is read-only: '\(name)' changes nothing here."
                    : tool.area.map { Desk.notAllowed($0, role: person.role) }
                        ?? "The \(person.role.title) role does not read clinical notes here.")
        } else {
            do {
                answer = try await run(tool, ToolArguments(arguments), ask: ask)
            } catch let failure as ToolFailure {
                answer = .failure(failure.description)
            } catch {
                answer = .failure(
                    "The local copy could not be read: \(error). Try again; `chronoterm sync --once` rebuilds what is missing.")
            }
        }
        audit(tool: name, arguments: arguments, answer: answer)
        return answer
    }

    private func run(_ tool: AgentTool, _ arguments: ToolArguments, ask: Asker?) async throws -> ToolAnswer {
        switch tool {
        case .schedule: try schedule(arguments)
        case .freeSlots: try freeSlots(arguments)
        case .searchPatients: try searchPatients(arguments)
        case .patientSummary: try patientSummary(arguments)
        case .visit: try visit(arguments)
        case .clinicalNote: try clinicalNote(arguments)
        case .confirmationList: try confirmationList(arguments)
        case .dayTotals: try dayTotals(arguments)
        case .copyState: try await copyState()
        case .writeQueue: try writeQueue()
        case .cancelWrite: try cancelWrite(arguments)
        case .confirm: try confirm(arguments)
        case .book, .move, .setStatus, .cancel, .registerPatient, .editPatient, .takePayment, .addCharge, .correctCharge, .voidCharge,
            .claimStatus, .claimNote:
            try await preview(tool, arguments, ask: ask)
        }
    }

    /// The call in the trail: who (the mirror's person), the tool, a hash of its
    /// arguments, and whether it answered or failed.
    private func audit(tool: String, arguments: JSONObject, answer: ToolAnswer) {
        let digest = SHA256.hash(data: JSONValue.object(arguments).serialized).prefix(8).map { String(format: "%02x", $0) }.joined()
        _ = try? mirror.pool.write { db in
            try AuditTrail.record(
                AuditTrail.Event(.toolCall, reference: tool, outcome: (answer.isError ? "refused" : "answered") + " args:\(digest)"), in: db
            )
        }
    }
}

/// What a tool answers: the structured result (what a client checks) and its text (what
/// an agent reads), or why it did nothing.
public struct ToolAnswer: Sendable {
    public var structured: JSONValue
    public var isError: Bool

    /// The answer as text: the result's JSON, or the reason.
    public var text: String {
        if isError, case .object(let object) = structured, let reason = object.string("error") { return reason }
        return structured.serializedString
    }

    static func result(_ value: JSONObject) -> ToolAnswer { ToolAnswer(structured: .object(value), isError: false) }
    static func failure(_ reason: String) -> ToolAnswer { ToolAnswer(structured: .object(["error": .string(reason)]), isError: true) }
}
