import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The console's one inbox: every effect's result and every piece of news from the
/// sync side arrives here, from whatever thread, in order, and the drawing thread takes
/// them one at a time into ``ConsoleModel/update(_:)``. A pipe wakes the drawing
/// thread's wait on the terminal when something arrives, so an idle console sleeps.
public final class ConsoleInbox: Sendable {
    private let queue = Mutex<[Message]>([])
    /// Readable while messages wait (nil: no pipe could be made; the loop looks at each tick).
    public let descriptor: Int32?
    private let writeEnd: Int32?

    public init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            (descriptor, writeEnd) = (ends[0], ends[1])
        } else {
            (descriptor, writeEnd) = (nil, nil)
        }
    }

    /// Puts a message in line and wakes the drawing thread.
    public func post(_ message: Message) {
        queue.withLock { $0.append(message) }
        nudge()
    }

    /// Wakes the drawing thread with no message: something it waits on finished.
    public func nudge() {
        if let writeEnd {
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }
    }

    /// The messages waiting, oldest first; the wake-ups they made are read away.
    public func take() -> [Message] {
        if let descriptor {
            var buffer = [UInt8](repeating: 0, count: 256)
            while read(descriptor, &buffer, buffer.count) > 0 {}
        }
        return queue.withLock { waiting in
            defer { waiting = [] }
            return waiting
        }
    }

    /// Whether nothing waits.
    public var isEmpty: Bool { queue.withLock { $0.isEmpty } }

    /// Sleeps until a message arrives or `limit` passes.
    public func wait(upTo limit: Duration) {
        guard let descriptor, isEmpty else { return }
        let (seconds, attoseconds) = limit.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        var waiting = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        _ = poll(&waiting, 1, max(1, milliseconds))
    }

    deinit {
        if let descriptor { close(descriptor) }
        if let writeEnd { close(writeEnd) }
    }
}
