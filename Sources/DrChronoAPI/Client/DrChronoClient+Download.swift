import Foundation

extension DrChronoClient {
    /// A document's file, from its `document` link. A link on DrChrono's own host is asked
    /// with the login, through the budget, like any request. DrChrono keeps uploads on a
    /// storage service behind signed links: a link to another host is fetched without the
    /// login, which never leaves DrChrono, and costs no request of the budget.
    public func download(_ link: String, priority: RequestPriority = .interactive) async throws(APIError) -> Data {
        let home = server.url("/")
        guard let url = URL(string: link, relativeTo: home)?.absoluteURL, ["http", "https"].contains(url.scheme ?? "") else {
            throw .unexpected("a document link that is not a web address")
        }
        if url.host == home.host, url.port == home.port {
            return try await send(.get(url.absoluteString), priority: priority).body
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(url: url, headers: [("Accept", "*/*")]))
        } catch {
            throw .unavailable(error.description)
        }
        guard (200..<300).contains(response.status) else {
            // Storage links are signed and expire: a fresh one comes with the next read of the chart.
            throw .notFound("this document's file (its link may have expired: open the chart again, then the document)")
        }
        return response.body
    }
}
