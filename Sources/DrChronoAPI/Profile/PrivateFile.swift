import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writing a file only its owner can read, replacing it whole.
///
/// Foundation's atomic writes go through a temporary file created 0644, which would
/// leave a readable copy beside the profile's data for a moment; this creates the
/// temporary file 0600 from the start, then renames it over the old one.
enum PrivateFile {
    static func replace(_ path: String, with data: Data, durable: Bool) -> Bool {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { return false }
        let written = data.withUnsafeBytes { buffer in write(fd, buffer.baseAddress, buffer.count) }
        let synced = durable ? fsync(fd) : 0
        close(fd)
        guard written == data.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        if durable {
            let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY)
            if directory >= 0 { fsync(directory); close(directory) }
        }
        return true
    }
}
