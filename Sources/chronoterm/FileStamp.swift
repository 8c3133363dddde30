import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file's identity and last change, from one `stat`: what a watch compares before it
/// reads and parses the file again (the people registry, looked at every two seconds by
/// every open console). A file replaced by a rename is a new inode; one written in place
/// has a new modification time or size. Nil for a file that is not there.
struct FileStamp: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let seconds: Int
    let nanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
