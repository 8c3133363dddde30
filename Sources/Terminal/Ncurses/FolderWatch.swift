import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Wakes the console when a file it cares about in the profile's folder changes: the
/// mirror's write-ahead log (a sync pass, another person's booking). The console sleeps on the terminal and this together, so an idle
/// console costs nothing until a key or a change arrives — with 25 consoles open on a
/// practice's host, five wake-ups a second each to ask the mirror whether it moved
/// added up to half a core.
///
/// Linux's inotify; where it is missing the console falls back to looking once a second.
public final class FolderWatch: @unchecked Sendable {
    /// The descriptor that becomes readable on a change (nil: no watch).
    public let descriptor: Int32?
    /// The files whose changes matter; the rest of the folder's are read away unheard.
    let names: Set<String>

    /// Watches the files `names` of `folder` for being written, replaced or created.
    public init(folder: String, names: Set<String>) {
        self.names = names
        #if os(Linux)
            let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard fd >= 0 else {
                descriptor = nil
                return
            }
            let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE)
            guard inotify_add_watch(fd, folder, mask) >= 0 else {
                close(fd)
                descriptor = nil
                return
            }
            descriptor = fd
        #else
            descriptor = nil
        #endif
    }

    /// Reads away the pending notices; answers whether one was about a watched file
    /// (what changed is then asked of the mirror and the files, not of the notice).
    /// Other files of the folder — a lock file each console opens, the budget each
    /// request rewrites — would otherwise wake every console many times a minute.
    public func drain() -> Bool {
        guard let descriptor else { return false }
        var heard = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { break }
            // struct inotify_event: wd, mask, cookie, len (4 bytes each), then len bytes of name.
            var offset = 0
            while offset + 16 <= count {
                let length =
                    Int(buffer[offset + 12]) | Int(buffer[offset + 13]) << 8 | Int(buffer[offset + 14]) << 16 | Int(buffer[offset + 15])
                    << 24
                let start = offset + 16
                let end = min(count, start + length)
                let nameBytes = buffer[start..<end].prefix { $0 != 0 }
                if names.contains(String(decoding: nameBytes, as: UTF8.self)) { heard = true }
                offset = start + length
            }
        }
        return heard
    }

    deinit {
        if let descriptor { close(descriptor) }
    }
}
