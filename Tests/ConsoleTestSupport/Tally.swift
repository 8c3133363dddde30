import Synchronization

/// What a service given to a console was asked, counted from whichever thread asked.
public final class Tally<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    public init() {}

    public func add(_ value: Value) { values.withLock { $0.append(value) } }

    public var all: [Value] { values.withLock { $0 } }
    public var count: Int { all.count }
}
