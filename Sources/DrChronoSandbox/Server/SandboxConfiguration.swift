import Foundation

/// How to run a sandbox: what `chronoterm sandbox` takes on its command line.
public struct SandboxConfiguration: Sendable {
    /// 0 picks a free port.
    public var port: Int = 0
    public var host: String = "127.0.0.1"
    public var seed: UInt64 = 1
    public var size: PracticeSize = .small
    public var limitsEnabled = false
    public var hourlyLimit = 500
    public var faults = FaultSpec()
    public var webhookURL: String? = nil
    public var webhookSecret: String? = nil
    /// The practice's time zone: DrChrono's zone-less timestamps are wall-clock times here.
    public var timeZone: TimeZone = .current
    /// Where the sandbox clock starts; nil starts it at the real time.
    public var startTime: Date? = nil
    /// The largest request body accepted before answering 413.
    public var maxBodyBytes = 20 * 1024 * 1024
    /// Whether the practice changes by itself through the day (``ActivityMode``).
    public var activity: ActivityMode = .off

    public init() {}
}
