import Console
import DrChronoAPI
import Foundation

/// Fetches a chart's document for the console and reads it. The copy is kept in this
/// console's own folder of the profile's cache (readable by the profile's owner only)
/// and removed when the console closes: documents are PHI.
struct DocumentFetch {
    let client: DrChronoClient
    let folder: URL

    init(client: DrChronoClient, profile: ProfileDirectory) {
        self.client = client
        folder = profile.file("cache").appendingPathComponent("documents-\(getpid())")
    }

    func read(_ document: Document) async -> DocumentReading {
        let title = document.description + (document.date.map { " · \($0)" } ?? "")
        guard let link = document.url, !link.isEmpty else {
            return DocumentReading(
                document: document.id, title: title, lines: [], file: nil, problem: "DrChrono gave no file for \(title).")
        }
        do {
            let data = try await client.download(link, priority: .interactive)
            // Each folder made private as it is made: the profile refuses to open with
            // anything in it others can read.
            for made in [folder.deletingLastPathComponent(), folder] where !FileManager.default.fileExists(atPath: made.path) {
                try FileManager.default.createDirectory(
                    at: made, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            }
            let name = URL(string: link)?.lastPathComponent.filter { $0.isLetter || $0.isNumber || "._-".contains($0) } ?? ""
            let file = folder.appendingPathComponent("\(document.id)-\(name.isEmpty ? "document" : name)")
            guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                return DocumentReading(
                    document: document.id, title: title, lines: [], file: nil,
                    problem: "\(title) was fetched but could not be kept in \(folder.path): is the disk full?")
            }
            // Read on a thread of its own: pdftotext may take its whole time limit, and the
            // pool's few threads keep the console's sync and screen going.
            let path = file.path
            let lines = await withCheckedContinuation { continuation in
                let thread = Thread { continuation.resume(returning: DocumentReading.lines(of: data, file: path)) }
                thread.start()
            }
            return DocumentReading(document: document.id, title: title, lines: lines, file: file.path)
        } catch {
            return DocumentReading(
                document: document.id, title: title, lines: [], file: nil, problem: "\(title) could not be fetched: \(error)")
        }
    }

    /// The console closed: its copies go.
    func clear() { try? FileManager.default.removeItem(at: folder) }

    /// Copies left by consoles that did not close (killed, the machine lost power): a
    /// folder whose process is gone is removed when the next console opens.
    func sweep() {
        let cache = folder.deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        for name in names where name.hasPrefix("documents-") {
            guard let pid = Int32(name.dropFirst("documents-".count)), pid != getpid() else { continue }
            // Signal 0 asks only whether the process exists (ESRCH: it does not).
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: cache.appendingPathComponent(name)) }
        }
    }
}
