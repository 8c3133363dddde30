import DrChronoAPI
import Mirror

/// A change event as a CloudEvents 1.0 JSON line (the structured JSON format): what
/// `chronoterm events` prints, one event a line.
///
/// ```json
/// {"specversion":"1.0","id":"42","source":"urn:chronoterm:stream:…","type":"appointment.checked_in",
///  "subject":"appointments/9001","time":"2026-12-07T14:03:11.208Z","datacontenttype":"application/json",
///  "data":{"action":"update","table":"appointments","key":"9001","origin":"pass","changed":["status"],"row":{…}}}
/// ```
public enum CloudEvent {
    /// `event` as one line of JSON (no line break). `source` names the mirror: `id` is
    /// unique within it.
    public static func line(_ event: ChangeEvent, source: String) -> String {
        var data = JSONObject()
        data["action"] = .string(event.action.rawValue)
        data["table"] = .string(event.table)
        data["key"] = .string(event.subject)
        data["origin"] = .string(event.origin.rawValue)
        if let person = event.person { data["person"] = .string(person) }
        if event.action == .update { data["changed"] = .array(event.changed.map(JSONValue.string)) }
        if let table = ExportCatalog.table(event.table) {
            data["row"] = table.jsonObject(table.values(ofEventRow: event.row))
        }
        var envelope = JSONObject()
        envelope["specversion"] = "1.0"
        envelope["id"] = .string(String(event.seq))
        envelope["source"] = .string(source)
        envelope["type"] = .string(event.type)
        envelope["subject"] = .string(event.table.isEmpty ? "mirror" : "\(event.table)/\(event.subject)")
        envelope["time"] = .string(event.at)
        envelope["datacontenttype"] = "application/json"
        envelope["data"] = .object(data)
        return JSONValue.object(envelope).serializedString
    }

    /// The event types there are, for `--type` and the docs: each table's created,
    /// updated, deleted and named changes, and `mirror.rebuilt`.
    public static var types: [String] {
        ExportCatalog.tables.flatMap { table in
            ["created", "updated", "deleted"].map { "\(table.entity).\($0)" }
                + table.namedChanges.flatMap { named in named.values.map(\.verb) + (named.otherwise.map { [$0] } ?? []) }
                .map { "\(table.entity).\($0)" }
        } + ["mirror.rebuilt"]
    }

    /// What is wrong with a `--type` list (each an entity or a whole type); nil when every
    /// item names something.
    public static func problem(with wanted: [String]) -> String? {
        let known = Set(types)
        let entities = Set(ExportCatalog.tables.map(\.entity) + ["mirror"])
        let unknown = wanted.filter { $0.contains(".") ? !known.contains($0) : !entities.contains($0) }
        guard !unknown.isEmpty else { return nil }
        return "No such event type: \(unknown.joined(separator: ", ")). Types are an entity (\(entities.sorted().joined(separator: ", "))) "
            + "or one of its types, such as appointment.checked_in or clinical_note.signed (`chronoterm events --help` lists them)."
    }
}
