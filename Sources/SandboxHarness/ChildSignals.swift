import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child's signals as a new process expects them: none blocked, none ignored.
///
/// A child inherits the signal mask of the thread that starts it, and a Swift thread
/// blocks most signals: tmux's server, started so, never heard its `kill-server` and kept
/// its consoles open. Every process a test or a benchmark starts with `posix_spawn` sets
/// this on its attributes.
public enum ChildSignals {
    public static func reset(_ attributes: inout posix_spawnattr_t) {
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    }
}
