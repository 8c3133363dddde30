import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The two steps of every job: a preview that does the job as a rehearsal and answers
/// what would happen with a token, then `confirm` with that token, which does it. And
/// the queue's own tools: what waits, and taking a write back before it leaves.
extension AgentDesk {
    /// The person the tokens are bound to: their name, or the profile's own login's.
    var tokenHolder: String { person.name ?? "(profile)" }

    func preview(_ tool: AgentTool, _ arguments: ToolArguments, ask: Asker? = nil) async throws -> ToolAnswer {
        let rehearsal = Desk(mirror: mirror, actor: person, now: now, rehearsal: true)
        let result = try perform(tool, arguments, desk: rehearsal, confirmed: false)
        var answer: JSONObject = ["would": .string(result.summary)]
        var warnings: [String] = []
        switch result.outcome {
        case .refused(let refusal):
            return .failure(([refusal.reason] + refusal.problems.map(\.message).filter { $0 != refusal.reason }).joined(separator: " "))
        case .needsConfirmation(let problems):
            warnings = problems.map(\.message)
        case .queued:
            break
        }
        answer["warnings"] = .array(warnings.map { .string($0) })
        // A client that can ask its person: the question goes to them, not to the agent.
        if let ask, let yes = await ask(([result.summary + "?"] + warnings).joined(separator: "\n")) {
            guard yes else { return .result(["declined": .string(result.summary), "next": "The person said no: nothing was queued."]) }
            return try queue(tool, arguments)
        }
        let token = ConfirmationToken(
            tool: tool, arguments: arguments.values, person: tokenHolder, expires: clock().addingTimeInterval(ConfirmationToken.lifetime),
            nonce: UUID().uuidString)
        answer["token"] = .string(token.sealed(with: key))
        answer["expires_in_seconds"] = .int(Int(ConfirmationToken.lifetime))
        answer["next"] = .string(
            "Nothing is queued yet. Show the person what would happen"
                + (answer["warnings"]?.arrayValue?.isEmpty == false ? " and the warnings" : "")
                + "; if they agree, call confirm with this token.")
        return .result(answer)
    }

    func confirm(_ arguments: ToolArguments) throws -> ToolAnswer {
        let text = try arguments.string("token")
        guard let token = ConfirmationToken.open(text, with: key) else {
            return .failure("That token is not one this server gave, or it was changed: preview the job again.")
        }
        guard token.person == tokenHolder else { return .failure("That token was given to someone else: preview the job again.") }
        guard token.expires > clock() else { return .failure("That token has expired: preview the job again.") }
        guard token.tool.offered(to: person, readOnly: readOnly) else {
            return .failure(token.tool.area.map { Desk.notAllowed($0, role: person.role) } ?? "That job is not offered here.")
        }
        let fresh = used.withLock { $0.insert(token.nonce).inserted }
        guard fresh else { return .failure("That token was used already: the job is queued once. See write_queue.") }
        return try queue(token.tool, ToolArguments(token.arguments))
    }

    /// Does a job the person agreed to, over the warnings they were shown.
    private func queue(_ tool: AgentTool, _ arguments: ToolArguments) throws -> ToolAnswer {
        let desk = Desk(mirror: mirror, actor: person, now: now)
        let result = try perform(tool, arguments, desk: desk, confirmed: true)
        switch result.outcome {
        case .queued(let made):
            return .result([
                "queued": .string(result.summary), "made": made,
                "next": "It reaches DrChrono within seconds when the practice's sync runs; write_queue shows it until then.",
            ])
        case .needsConfirmation(let warnings):
            return .failure("Not queued: " + warnings.map(\.message).joined(separator: " "))
        case .refused(let refusal):
            // Something changed since the preview (the slot was taken, the visit cancelled).
            return .failure("Not queued: " + refusal.reason)
        }
    }

    /// The writes this person may see and take back: their own (a session without a
    /// person, the profile's own login, sees all). Another person's writes are theirs.
    func ownWrites() throws -> [Outbox.Entry] {
        let entries = try WriteQueue(mirror: mirror).entries()
        guard let name = person.name else { return entries }
        return entries.filter { $0.person == name }
    }

    func writeQueue() throws -> ToolAnswer {
        let entries = try ownWrites()
        return .result([
            "writes": .array(
                entries.prefix(Self.pageSize).map { entry in
                    .object([
                        "write": .int(Int(entry.seq)), "kind": .string(entry.kind.rawValue), "about": .string(entry.target.description),
                        "state": .string(entry.state.rawValue), "by": .string(entry.person ?? ""), "message": .string(entry.message ?? ""),
                        "can_cancel": .bool(entry.state == .pending && entry.attempts == 0 || entry.state.needsAttention),
                    ])
                }),
            "count": .int(entries.count),
        ])
    }

    func cancelWrite(_ arguments: ToolArguments) throws -> ToolAnswer {
        let seq = Int64(try arguments.int("write"))
        let queue = WriteQueue(mirror: mirror)
        guard let entry = try ownWrites().first(where: { $0.seq == seq }) else {
            return .failure("Write \(seq) is not one of yours waiting in the queue (write_queue lists yours).")
        }
        let outcome = entry.state.needsAttention ? try queue.discard(seq) : try queue.withdraw(seq)
        switch outcome {
        case .queued(let taken):
            var answer: JSONObject = ["cancelled": .int(Int(seq)), "kind": .string(taken.entry.kind.rawValue)]
            if taken.reread != nil {
                answer["note"] = "The record shows the change until the practice's next sync reads it again from DrChrono."
            }
            return .result(answer)
        case .needsConfirmation, .refused:
            if case .refused(let refusal) = outcome { return .failure(refusal.reason) }
            return .failure("Write \(seq) was not taken back.")
        }
    }
}
