import DrChronoAPI

/// "Left a message": the front desk called about a visit and left a message. DrChrono
/// has no field for it, so it is a line added to the visit's notes — written and read
/// here alone, so the confirmation list, the schedule's foot line and the status box
/// all see the same trace.
public enum MessageLeft {
    /// The line added to the visit's notes: "Left message 3/4 9:00 am (dana)".
    public static func stamp(at now: LocalDateTime, by person: String?) -> String {
        "\(prefix) \(now.month)/\(now.day) \(now.clock)" + (person.map { " (\($0))" } ?? "")
    }

    /// The visit's notes with a message's line added.
    public static func notes(_ notes: String, adding stamp: String) -> String { notes.isEmpty ? stamp : notes + "\n" + stamp }

    static let prefix = "Left message"
}

extension Appointment {
    /// The last message the desk left about this visit ("Left message 3/4 9:00 am (dana)"),
    /// or nil when none was.
    public var lastMessageLeft: String? {
        notes.split(whereSeparator: \.isNewline).last { $0.hasPrefix(MessageLeft.prefix) }.map {
            String($0).trimmingCharacters(in: .whitespaces)
        }
    }

    /// When the last message was left, for a narrow column: "3/4 9:00 am".
    public var lastMessageLeftAt: String? {
        lastMessageLeft.map { line in
            let when = line.dropFirst(MessageLeft.prefix.count).trimmingCharacters(in: .whitespaces)
            return when.components(separatedBy: " (").first ?? when
        }
    }
}
