import DrChronoAPI
import Foundation
import Mirror

/// Checks a document before it is queued for a chart: DrChrono takes scans and
/// photos, so a PDF or an image, of a size a practice's upload allows.
public enum UploadCheck {
    public static let largestFile = 20 * 1024 * 1024

    /// The kind of file the bytes are, by their first bytes (not the name, which lies).
    public static func kind(of bytes: Data) -> String? {
        let head = [UInt8](bytes.prefix(8))
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        if starts(Array("%PDF".utf8)) { return "application/pdf" }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF8".utf8)) { return "image/gif" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "image/tiff" }
        return nil
    }

    public static func problems(_ upload: Outbox.Upload) -> [WriteProblem] {
        var problems: [WriteProblem] = []
        if upload.bytes.isEmpty {
            problems.append(.error("document", "\(upload.fileName) is empty."))
        } else if kind(of: upload.bytes) == nil {
            problems.append(
                .error(
                    "document",
                    "\(upload.fileName) is not a PDF or an image (PNG, JPEG, GIF or TIFF); DrChrono's chart takes scans and photos."))
        }
        if upload.bytes.count > largestFile {
            problems.append(
                .error(
                    "document",
                    "\(upload.fileName) is \(upload.bytes.count / 1_048_576) MB; the largest upload is \(largestFile / 1_048_576) MB."))
        }
        if upload.description.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.error("description", "Say what the document is, as Insurance card."))
        }
        if LocalDateTime(upload.date) == nil || upload.date.count != 10 {
            problems.append(.error("date", "Give the document's date as YYYY-MM-DD."))
        }
        return problems
    }
}
