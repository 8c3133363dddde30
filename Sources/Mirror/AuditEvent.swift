/// What an audit entry records, by the name the trail stores (`chronoterm audit` shows
/// it, and a compliance officer searches by it). The list is the trail's vocabulary: a
/// new kind of entry is a new case, never a string written where it happens.
public enum AuditEvent: String, Sendable, CaseIterable {
    // The profile's DrChrono login.
    case login
    case logout
    // A person at a console.
    case sessionStart = "session.start"
    case sessionEnd = "session.end"
    /// The person was removed from the practice (or their key was): the console closed.
    case sessionRevoked = "session.revoked"
    case lock
    case unlock
    case unlockFailed = "unlock.failed"
    // What a person opened.
    case chartOpen = "chart.open"
    case noteOpen = "note.open"
    case billingOpen = "billing.open"
    case documentOpen = "document.open"
    case documentSave = "document.save"
    case daySheetPrint = "day_sheet.print"
    // Writes, by their outbox number: never what they said.
    case writeQueued = "write.queued"
    case writeConfirmed = "write.confirmed"
    case writeDiscarded = "write.discarded"
    case writeFailed = "write.failed"
    case writeConflict = "write.conflict"
    case writeAmbiguous = "write.ambiguous"
    // An agent's call to the MCP server: the tool and a hash of its arguments, never them.
    case toolCall = "tool.call"
    // The practice's data leaving chronoterm (office manager only): what, and how many rows.
    case exportEvents = "export.events"
    case exportSnapshot = "export.snapshot"
    case exportWarehouse = "export.warehouse"
    // The trail and the mirror themselves.
    case auditResealed = "audit.resealed"
    case mirrorRebuilt = "mirror.rebuilt"

    /// The entry a write's new state makes (nil: a step no person needs to see).
    public static func write(_ state: OutboxState) -> AuditEvent? {
        switch state {
        case .failed: .writeFailed
        case .conflict: .writeConflict
        case .ambiguous: .writeAmbiguous
        case .pending, .sending: nil
        }
    }
}
