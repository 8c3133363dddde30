import DrChronoAPI
import Foundation
import Synchronization

/// A chart's document, fetched and read: its text (a PDF's, through `pdftotext`), or what
/// it is (an image's type and size), and where the copy is kept.
public struct DocumentReading: Sendable, Equatable {
    public var document: Int
    public var title: String
    public var lines: [String]
    /// The copy in the profile's private cache (nil when it could not be fetched).
    public var file: String?
    /// Why it could not be read, in words for the person.
    public var problem: String?

    public init(document: Int, title: String, lines: [String], file: String?, problem: String? = nil) {
        (self.document, self.title, self.lines, self.file, self.problem) = (document, title, lines, file, problem)
    }

    /// Reads a file's bytes as a person would want them shown: a PDF's text, an image's
    /// type and size, text as text, anything else by its size. Control characters never
    /// reach the screen.
    public static func lines(of data: Data, file: String) -> [String] {
        let bytes = [UInt8](data.prefix(32))
        if bytes.starts(with: Array("%PDF".utf8)) {
            guard let text = pdfText(file) else {
                return [
                    "This PDF's text cannot be read here: install poppler-utils (pdftotext),",
                    "or press s to save the file and open it elsewhere.",
                ]
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { clean(String($0)) }
            let trimmed = Array(lines.reversed().drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }.reversed())
            return trimmed.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                ? trimmed : ["This PDF has no text (a scan without OCR): press s to save it and open it elsewhere."]
        }
        if let image = imageDescription(bytes, size: data.count) { return [image, "", "Press s to save it and open it elsewhere."] }
        if let text = String(data: data, encoding: .utf8), !text.contains("\u{0}") {
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { clean(String($0)) }
        }
        return [
            "A file of \(ByteCountFormatter.string(fromByteCount: Int64(data.count), countStyle: .file)) that is not text.", "",
            "Press s to save it and open it elsewhere.",
        ]
    }

    /// How far a PDF's text is read: a hostile file (100,000 pages in 2 MB) must not hold
    /// a shared host's CPU or memory.
    public struct TextLimits: Sendable {
        public var pages = 200
        public var seconds: Double = 10
        public var bytes = 2 * 1_048_576
        public static let standard = TextLimits()
        public init() {}
    }

    /// `pdftotext -layout -l PAGES FILE -`, bounded in pages, time and output: nil when
    /// the tool is missing or fails; what came before a limit, with a line saying so.
    public static func pdfText(_ file: String, limits: TextLimits = .standard) -> String? {
        let tool = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let tool else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-layout", "-enc", "UTF-8", "-l", String(limits.pages), file, "-"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        // Past its time it is killed; reading then ends with what it wrote. The timer is a
        // thread of its own: a shared queue may be too busy to fire it on time, and a
        // stalled extractor writes nothing that would let the loop below look at the clock.
        let pid = process.processIdentifier
        let timedOut = Mutex(false)
        let finished = Mutex(false)
        let deadline = Date().addingTimeInterval(limits.seconds)
        @Sendable func stop() {
            timedOut.withLock { $0 = true }
            kill(pid, SIGKILL)
        }
        Thread {
            while Date() < deadline, !finished.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.02) }
            if !finished.withLock({ $0 }) { stop() }
        }.start()
        var data = Data()
        var cut = false
        while true {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            if Date() >= deadline, !finished.withLock({ $0 }) { stop() }
            data.append(chunk.prefix(limits.bytes - data.count))
            if data.count >= limits.bytes {
                cut = true
                kill(pid, SIGKILL)
                break
            }
        }
        process.waitUntilExit()
        finished.withLock { $0 = true }
        let stopped = timedOut.withLock { $0 }
        guard process.terminationStatus == 0 || cut || stopped else { return nil }
        var text = String(decoding: data, as: UTF8.self)
        if cut || stopped {
            text +=
                "\n\n[Only the start of this document is shown (\(cut ? "its first \(ByteCountFormatter.string(fromByteCount: Int64(limits.bytes), countStyle: .memory)) of text" : "what was read in \(String(format: "%g", limits.seconds)) s")): press s to save it and open it elsewhere.]"
        }
        return text
    }

    /// PNG, JPEG, GIF and TIFF by their first bytes; width and height where the header says.
    static func imageDescription(_ bytes: [UInt8], size: Int) -> String? {
        let kilobytes = ByteCountFormatter.string(fromByteCount: Int64(size), countStyle: .file)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), bytes.count >= 24 {
            let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
            let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
            return "A PNG image, \(width) × \(height) pixels, \(kilobytes)."
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "A JPEG image, \(kilobytes)." }
        if bytes.starts(with: Array("GIF8".utf8)) { return "A GIF image, \(kilobytes)." }
        if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
            return "A TIFF image (a fax or scan), \(kilobytes)."
        }
        return nil
    }

    /// Tabs as spaces; other control characters dropped.
    static func clean(_ line: String) -> String {
        String(
            String.UnicodeScalarView(
                line.replacingOccurrences(of: "\t", with: "    ").unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
    }
}

/// The document overlay: the reading, scrolled; `s` asks where to save the copy.
public struct DocumentView: Sendable, Equatable {
    public var reading: DocumentReading
    public var top = 0
    /// The path being typed, while saving.
    public var saving: TextField?

    public init(reading: DocumentReading) { self.reading = reading }
}
