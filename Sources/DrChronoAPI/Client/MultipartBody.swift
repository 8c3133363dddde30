import Foundation

/// A `multipart/form-data` body, as DrChrono's document upload takes it.
public struct MultipartBody: Sendable {
    public let boundary: String
    private var data = Data()

    public init(boundary: String = "chronoterm-" + UUID().uuidString) { self.boundary = boundary }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    public mutating func add(field name: String, value: String) {
        data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(MultipartBody.quoted(name))\"\r\n\r\n".utf8))
        data.append(Data(value.utf8))
        data.append(Data("\r\n".utf8))
    }

    public mutating func add(file name: String, fileName: String, contentType: String, contents: Data) {
        data.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(MultipartBody.quoted(name))\"; filename=\"\(MultipartBody.quoted(fileName))\"\r\nContent-Type: \(contentType)\r\n\r\n"
                    .utf8))
        data.append(contents)
        data.append(Data("\r\n".utf8))
    }

    public var encoded: Data { data + Data("--\(boundary)--\r\n".utf8) }

    static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "")
    }
}
