import DrChronoAPI
import Foundation

/// What the console asks of the world beyond the mirror: the sync side, the screen's
/// theme, the lock's passphrase. The executable wires them; a test gives its own. Each
/// is called off the drawing thread, and what it answers comes back as a message.
public struct ConsoleServices: Sendable {
    /// Runs a sync pass now (`:sync`); news of it arrives as ``EffectResult/sync(_:)``.
    public var syncNow: @Sendable () -> Void
    /// Fetches a chart a person just opened, ahead of the background sync.
    public var fetchChart: @Sendable (Int) -> Void
    /// Fetches a document through the budget and reads it; the reading arrives later as
    /// ``EffectResult/documentRead(_:)``.
    public var openDocument: @Sendable (Document) -> Void
    /// A write was queued: send it without waiting.
    public var pushQueue: @Sendable () -> Void
    /// Switches the theme; answers the problem when it cannot.
    public var useTheme: @Sendable (String) -> String?
    /// Whether a passphrase typed at the lock opens it (a vault may take a second to try).
    public var unlock: @Sendable (String) -> UnlockAnswer

    public init(
        syncNow: @escaping @Sendable () -> Void = {}, fetchChart: @escaping @Sendable (Int) -> Void = { _ in },
        openDocument: @escaping @Sendable (Document) -> Void = { _ in },
        pushQueue: @escaping @Sendable () -> Void = {}, useTheme: @escaping @Sendable (String) -> String? = { _ in nil },
        unlock: @escaping @Sendable (String) -> UnlockAnswer = { _ in .wrong }
    ) {
        (self.syncNow, self.fetchChart, self.openDocument, self.pushQueue) = (syncNow, fetchChart, openDocument, pushQueue)
        (self.useTheme, self.unlock) = (useTheme, unlock)
    }
}
