import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writing a file only its owner can read, replacing it whole.
///
/// Foundation's atomic writes go through a temporary file created 0644, which would
/// leave a readable copy beside the profile's data for a moment; this creates the
/// temporary file 0600 from the start, then renames it over the old one.
public enum PrivateFile {
    public static func replace(_ path: String, with data: Data, durable: Bool) -> Bool {
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

    /// Claims the room for a file of up to `size` bytes at `path` now — zeros written
    /// and synced — so that `fill` later needs no new space on the disk. Answers 0, or
    /// the errno that stopped it (ENOSPC: the disk is full); nothing is left behind then.
    static func reserve(_ path: String, size: Int) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return errno }
        let zeros = [UInt8](repeating: 0, count: size)
        let written = zeros.withUnsafeBytes { write(fd, $0.baseAddress, size) }
        let failure = written == size ? (fsync(fd) == 0 ? 0 : errno) : (written < 0 ? errno : ENOSPC)
        close(fd)
        if failure != 0 { unlink(path) }
        return failure
    }

    /// Writes `data` over the room `reserve` claimed at `reserved`, cuts it to size,
    /// syncs it and renames it over `path` (then syncs the folder): nothing here asks the
    /// disk for new space.
    static func fill(_ reserved: String, with data: Data, replacing path: String) -> Bool {
        let fd = open(reserved, O_WRONLY)
        guard fd >= 0 else { return false }
        let written = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, data.count, 0) }
        let done = written == data.count && ftruncate(fd, off_t(data.count)) == 0 && fsync(fd) == 0
        close(fd)
        guard done, rename(reserved, path) == 0 else { return false }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if directory >= 0 { fsync(directory); close(directory) }
        return true
    }
}
