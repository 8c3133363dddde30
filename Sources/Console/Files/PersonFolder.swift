import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One folder of the service account that a person's console may touch — the
/// practice's documents folder (copies saved from charts) or its inbox (scans to
/// attach) — and nothing outside it.
///
/// On a shared host a person's console runs as the service account, so any path a
/// person could type would be a door into that account (`~/.ssh/authorized_keys2`,
/// `~/.bash_profile`). Here a person types only a *name* in the folder: no slash, no
/// leading dot, no `..`, no `~`. Files are opened relative to the folder with
/// `O_NOFOLLOW` (a symlink placed in the folder leads nowhere), a copy is created with
/// `O_EXCL` (never over an existing file), and a file's size is read from the opened
/// file before any of it is.
public struct PersonFolder: Sendable, Equatable {
    /// The folder, as the office manager set it.
    public let path: String

    public init(path: String) { self.path = path }

    /// What went wrong, in words for the person at the desk.
    public struct Problem: Error, Equatable, Sendable {
        public var message: String
    }

    /// `typed` as a plain file name in this folder, or why it cannot be one.
    public func name(_ typed: String) -> Result<String, Problem> {
        let name = typed.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { return .failure(Problem(message: "Type a file name.")) }
        if name.contains("/") || name.hasPrefix("~") {
            return .failure(Problem(message: "Type a file name only, with no folder: files are kept in \(path)."))
        }
        if name.hasPrefix(".") { return .failure(Problem(message: "A name may not start with a dot: type another name.")) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.value == 0x7F }) {
            return .failure(Problem(message: "That name has a control character: type another name."))
        }
        if name.utf8.count > 200 { return .failure(Problem(message: "That name is too long: 200 bytes at most.")) }
        return .success(name)
    }

    /// Creates `name` in the folder with `data`, readable by the account only. Never
    /// replaces a file, never follows a link, and leaves nothing behind when it fails.
    public func create(_ typed: String, data: Data) -> Result<String, Problem> {
        let (name, opened) = open(typed)
        guard let name, let folder = opened else { return .failure(problem(typed)) }
        defer { close(folder) }
        let shown = (path as NSString).appendingPathComponent(name)
        let fd = openat(folder, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST { return .failure(Problem(message: "\(shown) already exists: type another name.")) }
            return .failure(Problem(message: "The copy could not be made in \(path): \(Self.words(code))."))
        }
        var written = 0
        let ok = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let wrote = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if wrote <= 0 { return false }
                written += wrote
            }
            return true
        }
        let code = errno
        let synced = ok && fsync(fd) == 0
        close(fd)
        guard synced else {
            unlinkat(folder, name, 0)
            return .failure(Problem(message: "The copy could not be written in \(path): \(Self.words(code))."))
        }
        return .success(shown)
    }

    /// Reads `name` from the folder: a regular file (no link, folder or device) of at
    /// most `limit` bytes, its size checked before it is read.
    public func read(_ typed: String, limit: Int) -> Result<Data, Problem> {
        let (name, opened) = open(typed)
        guard let name, let folder = opened else { return .failure(problem(typed)) }
        defer { close(folder) }
        // O_NONBLOCK: a FIFO placed in the folder must not hang the console.
        let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { return .failure(Problem(message: "\(name) is a link: only files in \(path) are attached.")) }
            if code == ENOENT { return .failure(Problem(message: "There is no \(name) in \(path).")) }
            return .failure(Problem(message: "\(name) cannot be read: \(Self.words(code))."))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(Problem(message: "\(name) is not a file: only files in \(path) are attached."))
        }
        let size = Int(info.st_size)
        if size > limit {
            return .failure(Problem(message: "\(name) is \(size / 1_048_576) MB; the largest upload is \(limit / 1_048_576) MB."))
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var got = 0
        while got < size {
            let read = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, size - got) }
            if read <= 0 { break }
            got += read
        }
        return .success(Data(bytes.prefix(got)))
    }

    /// The folder's files whose names start with `prefix`, in order: no hidden ones, no
    /// links, no folders — what could be attached.
    public func files(startingWith prefix: String) -> [String] {
        guard case .success = name(prefix.isEmpty ? "x" : prefix) else { return [] }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        return names.filter { $0.hasPrefix(prefix) && !$0.hasPrefix(".") }.sorted().filter { name in
            var info = stat()
            return lstat((path as NSString).appendingPathComponent(name), &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        }.prefix(200).map { $0 }
    }

    /// The typed name if it is one, and the folder opened (nil for either: see ``problem(_:)``).
    private func open(_ typed: String) -> (name: String?, folder: Int32?) {
        guard case .success(let name) = self.name(typed) else { return (nil, nil) }
        // The folder itself is no link either (it was set without one).
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        return (name, fd >= 0 ? fd : nil)
    }

    /// Why `typed` could not be opened: not a name, or the folder cannot be.
    private func problem(_ typed: String) -> Problem {
        let code = errno
        if case .failure(let problem) = name(typed) { return problem }
        return Problem(message: "The folder \(path) cannot be opened (\(Self.words(code))): ask the office manager.")
    }

    static func words(_ code: Int32) -> String {
        switch code {
        case ENOSPC: "the disk is full"
        case EACCES, EPERM: "permission denied"
        case ENOENT: "it does not exist"
        default: String(cString: strerror(code))
        }
    }
}

/// The two folders of a practice a person's console reaches, as the office manager set
/// them in the profile; nil: that job is off.
public struct PersonFolders: Sendable, Equatable {
    /// Where copies of chart documents are saved.
    public var documents: PersonFolder?
    /// Where scans to attach are read from.
    public var inbox: PersonFolder?

    public init(documents: PersonFolder? = nil, inbox: PersonFolder? = nil) { (self.documents, self.inbox) = (documents, inbox) }

    /// What a person reads when a job is off.
    public static let savingOff =
        "Saving copies is off for this practice: the office manager names a folder with chronoterm people folders --documents DIR."
    public static let attachingOff =
        "Attaching is off for this practice: the office manager names an inbox with chronoterm people folders --inbox DIR."
}
