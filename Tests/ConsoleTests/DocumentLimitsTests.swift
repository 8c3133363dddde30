import Console
import Foundation
import Testing

@Suite("A hostile PDF cannot take the host down")
struct DocumentLimitsTests {
    /// A PDF of `pages` pages, each its own small object sharing one content stream:
    /// 20,000 pages in about 2 MB — and a text extractor's whole time.
    static func manyPages(_ pages: Int) -> Data {
        let stream = "BT /F1 12 Tf 72 720 Td (A page of a very long report) Tj ET"
        var objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Count \(pages) /Kids [" + (0..<pages).map { "\($0 + 5) 0 R" }.joined(separator: " ") + "] >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>",
        ]
        for _ in 0..<pages { objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources 4 0 R >>") }
        var pdf = Data("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.count)
            pdf.append(Data("\(index + 1) 0 obj\n\(object)\nendobj\n".utf8))
        }
        let xref = pdf.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        pdf.append(Data(table.utf8))
        return pdf
    }

    func file(_ data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString).pdf")
        try data.write(to: url)
        return url.path
    }

    @Test("20,000 pages: only the first pages are read, and the text says it is the start")
    func pagesBounded() throws {
        let path = try file(Self.manyPages(20_000))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var limits = DocumentReading.TextLimits()
        limits.pages = 30
        let text = try #require(DocumentReading.pdfText(path, limits: limits))
        let pages = text.components(separatedBy: "A page of a very long report").count - 1
        #expect(pages == 30, "\(pages) pages read")
    }

    @Test("text past its size or its time is cut, the extractor stopped, and the reading says so")
    func outputAndTimeBounded() throws {
        let path = try file(Self.manyPages(20_000))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var limits = DocumentReading.TextLimits()
        limits.pages = 20_000
        limits.bytes = 4_096
        let cut = try #require(DocumentReading.pdfText(path, limits: limits))
        #expect(cut.utf8.count < 4_096 + 300 && cut.hasSuffix("press s to save it and open it elsewhere.]"))
        limits.bytes = 1 << 30
        // A twentieth of a second: an idle machine's pdftotext read all 20,000 pages within
        // half of one, and the test then saw no cut.
        limits.seconds = 0.05
        let stopped = try #require(DocumentReading.pdfText(path, limits: limits))
        #expect(stopped.hasSuffix("(what was read in 0.05 s): press s to save it and open it elsewhere.]"), "\(stopped.suffix(200))")
    }
}
