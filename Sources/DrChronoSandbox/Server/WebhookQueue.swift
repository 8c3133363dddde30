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
        /// The resource and id of the object it carries.
        var resource: String?
        var objectId: Int?

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
        let objectId = object.objectValue?["id"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } }
        deliveries.append(
            Delivery(
                id: UUID().uuidString.lowercased(), event: event, body: Array(body.serialized), eventTime: time, nextAttempt: time,
                resource: WebhookQueue.resource(of: event), objectId: objectId))
    }

    /// The resource an event's object belongs to.
    static func resource(of event: String) -> String? {
        if event.hasPrefix("APPOINTMENT_") { return "appointments" }
        if event.hasPrefix("CLINICAL_NOTE_") { return "clinical_notes" }
        if event.hasPrefix("PATIENT_") && !["PROBLEM", "ALLERGY", "MEDICATION"].contains(where: event.contains) { return "patients" }
        return nil
    }

    /// Whether a delivery is due at `time` and not yet sent or being sent.
    func hasDue(at time: Double) -> Bool {
        verified && deliveries.contains { $0.state == .pending && ($0.inFlight || $0.nextAttempt <= time) }
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

    /// Answers the delivered object's resource and id, for the staleness report.
    @discardableResult
    mutating func finished(_ id: String, delivered: Bool) -> (String, Int)? {
        guard let index = deliveries.lastIndex(where: { $0.id == id }) else { return nil }
        // A long-running sandbox keeps only the last of what is settled.
        defer { if deliveries.count > 20_000 { deliveries.removeAll { $0.state != .pending && !$0.inFlight } } }
        deliveries[index].inFlight = false
        deliveries[index].attempts += 1
        if delivered {
            deliveries[index].state = .delivered
            return deliveries[index].resource.flatMap { resource in deliveries[index].objectId.map { (resource, $0) } }
        }
        let retry = deliveries[index].attempts - 1
        if retry < WebhookQueue.retryDelays.count {
            deliveries[index].nextAttempt = deliveries[index].eventTime + WebhookQueue.retryDelays[retry]
        } else {
            deliveries[index].state = .dropped
        }
        return nil
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
    func webhookFinished(_ id: String, delivered: Bool) {
        if let (resource, objectId) = webhooks.finished(id, delivered: delivered) { noteServed(resource, ids: [objectId], listed: false) }
    }

    /// Sends every delivery due now and returns once each has been answered: how a
    /// test on the sandbox clock sees webhooks arrive at the moment of their change.
    func settleWebhooks() async {
        guard let target = webhookTarget else { return }
        let delivery = WebhookDelivery(state: self)
        let started = Date()
        if !webhooks.verified {
            let (ok, message) = await delivery.verify(target.url, secret: target.secret, session: WebhookDelivery.session)
            webhookVerified(ok, message)
        }
        while webhooks.hasDue(at: now), Date().timeIntervalSince(started) < 10 {
            let due = takeDueWebhooks()
            for item in due {
                webhookFinished(item.id, delivered: await delivery.send(item, to: target, session: WebhookDelivery.session))
            }
            // Others are in flight from the delivery loop: let them finish.
            if due.isEmpty { try? await Task.sleep(nanoseconds: 1_000_000) }
        }
    }
    func webhookVerified(_ verified: Bool, _ message: String) {
        webhooks.verified = verified
        webhooks.verification = message
    }
    var webhookTarget: (url: String, secret: String)? {
        guard let url = webhooks.url, let secret = webhooks.secret else { return nil }
        return (url, secret)
    }
}
