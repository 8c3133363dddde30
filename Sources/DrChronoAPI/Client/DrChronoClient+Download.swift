import Foundation

extension DrChronoClient {
    /// A document's file, from its `document` link. A link on DrChrono's own host is asked
    /// with the login, through the budget, like any request. DrChrono keeps uploads on a
    /// storage service behind signed links: a link to another host is fetched without the
    /// login, which never leaves DrChrono, and costs no request of the budget.
    /// The most of a document's file read: a larger one is refused, never held in memory.
    public static let largestDownload = 50 * 1_048_576

    public func download(_ link: String, priority: RequestPriority = .interactive) async throws(APIError) -> Data {
        let home = server.url("/")
        guard let url = URL(string: link, relativeTo: home)?.absoluteURL, ["http", "https"].contains(url.scheme ?? "") else {
            throw .unexpected("a document link that is not a web address")
        }
        if url.host == home.host, url.port == home.port {
            var call = Call.get(url.absoluteString)
            call.maxBodyBytes = Self.largestDownload
            return try await send(call, priority: priority).body
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(url: url, headers: [("Accept", "*/*")], maxBodyBytes: Self.largestDownload))
        } catch {
            if case .tooLarge = error { throw .unexpected("\(error.description): too large to open here") }
            throw .unavailable(error.description)
        }
        guard (200..<300).contains(response.status) else {
            // Storage links are signed and expire: a fresh one comes with the next read of the chart.
            throw .notFound("this document's file (its link may have expired: open the chart again, then the document)")
        }
        return response.body
    }
}
