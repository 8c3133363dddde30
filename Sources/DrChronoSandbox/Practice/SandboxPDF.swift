/// A one-page PDF with lines of text, as a scanned-and-OCRed form reads: what the
/// sandbox's generated documents hold, so a client can extract their text.
public enum SandboxPDF {
    public static func page(_ lines: [String]) -> [UInt8] {
        // Text operators: each line 16 points below the last, from the top of a US Letter page.
        var text = "BT /F1 12 Tf 72 720 Td 16 TL\n"
        for line in lines {
            let escaped = line.filter(\.isASCII).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                .replacingOccurrences(of: ")", with: "\\)")
            text += "(\(escaped)) Tj T*\n"
        }
        text += "ET\n"
        let objects = [
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
            "<</Length \(text.utf8.count)>>\nstream\n\(text)endstream",
            "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            pdf += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        pdf += "trailer\n<</Size \(objects.count + 1)/Root 1 0 R>>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(pdf.utf8)
    }
}
