import DrChronoAPI
import Foundation

/// Webhook deliveries waiting to go out, delivered as DrChrono delivers them: a POST
/// with `X-drchrono-event`, `X-drchrono-signature` (the secret token itself) and
/// `X-drchrono-delivery`; a failure is retried 1, 3 and 7 hours (sandbox time) after
/// the event, then dropped.
struct WebhookQueue: Sendable {
    struct Delivery: Sendable {
        var id: String
        var event: String
        var body: [UInt8]
        var eventTime: Double
        var attempts = 0
        var nextAttempt: Double
        var state: State = .pending
        var inFlight = false

        enum State: String, Sendable { case pending, delivered, dropped }
    }

    static let retryDelays: [Double] = [3600, 3 * 3600, 7 * 3600]

    var url: String?
    var secret: String?
    var verified = false
    var verification: String = "not attempted"
    private(set) var deliveries: [Delivery] = []

    init(url: String?, secret: String?) { (self.url, self.secret) = (url, secret) }

    var isConfigured: Bool { url != nil && secret != nil }

    mutating func enqueue(event: String, object: JSONValue, at time: Double) {
        guard isConfigured, let url else { return }
        let body = JSONValue.object(["receiver": .object(["id": .int(1), "url": .string(url)]), "object": object])
        deliveries.append(
            Delivery(id: UUID().uuidString.lowercased(), event: event, body: Array(body.serialized), eventTime: time, nextAttempt: time))
    }

    /// Deliveries due at `time`, marked in flight.
    mutating func takeDue(at time: Double) -> [Delivery] {
        guard verified else { return [] }
        var due: [Delivery] = []
        for index in deliveries.indices
        where deliveries[index].state == .pending && !deliveries[index].inFlight && deliveries[index].nextAttempt <= time {
            deliveries[index].inFlight = true
            due.append(deliveries[index])
        }
        return due
    }

    mutating func finished(_ id: String, delivered: Bool) {
        guard let index = deliveries.firstIndex(where: { $0.id == id }) else { return }
        deliveries[index].inFlight = false
        deliveries[index].attempts += 1
        if delivered { deliveries[index].state = .delivered; return }
        let retry = deliveries[index].attempts - 1
        if retry < WebhookQueue.retryDelays.count {
            deliveries[index].nextAttempt = deliveries[index].eventTime + WebhookQueue.retryDelays[retry]
        } else {
            deliveries[index].state = .dropped
        }
    }

    var json: JSONValue {
        .object([
            "url": .string(url), "verified": .bool(verified), "verification": .string(verification),
            "deliveries": .array(
                deliveries.map { d in
                    .object([
                        "id": .string(d.id), "event": .string(d.event), "state": .string(d.state.rawValue), "attempts": .int(d.attempts),
                    ])
                }),
        ])
    }
}

extension SandboxState {
    func enqueueWebhook(_ event: String, _ object: JSONValue) {
        webhooks.enqueue(event: event, object: object, at: now)
    }

    func takeDueWebhooks() -> [WebhookQueue.Delivery] { webhooks.takeDue(at: now) }
    func webhookFinished(_ id: String, delivered: Bool) { webhooks.finished(id, delivered: delivered) }
    func webhookVerified(_ verified: Bool, _ message: String) {
        webhooks.verified = verified
        webhooks.verification = message
    }
    var webhookTarget: (url: String, secret: String)? {
        guard let url = webhooks.url, let secret = webhooks.secret else { return nil }
        return (url, secret)
    }
}
