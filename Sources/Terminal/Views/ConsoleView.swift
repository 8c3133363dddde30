import Console
import DrChronoAPI
import Foundation

/// Draws the whole console for a model: a pure function from view state to a frame.
public enum ConsoleView {
    public static func render(_ model: ConsoleModel, width: Int, height: Int, glyphs: Glyphs = .unicode, asciiOnly: Bool = false)
        -> CellBuffer
    {
        var buffer = CellBuffer(width: width, height: height, asciiOnly: asciiOnly)
        if model.locked {
            lockScreen(model, into: &buffer, glyphs: glyphs)
            return buffer
        }
        guard width >= ConsoleLayout.minimumWidth, height >= ConsoleLayout.minimumHeight else {
            tooSmall(&buffer)
            return buffer
        }
        tabs(model, into: &buffer)
        let pane = Rect(x: 0, y: 1, width: width, height: ConsoleLayout.paneHeight(height))
        switch model.pane {
        case .schedule: ScheduleView.draw(model, in: pane, into: &buffer, glyphs: glyphs)
        case .search: SearchView.draw(model, in: pane, into: &buffer, glyphs: glyphs)
        case .notes: NotesView.draw(model, in: pane, into: &buffer, glyphs: glyphs)
        case .billing: BillingView.draw(model, in: pane, into: &buffer, glyphs: glyphs)
        }
        messageLine(model, y: height - 2, into: &buffer)
        statusBar(model, y: height - 1, into: &buffer, glyphs: glyphs)
        if let overlay = model.overlay { OverlayView.draw(overlay, model: model, into: &buffer, glyphs: glyphs) }
        return buffer
    }

    /// `frame` (drawn for `model` a moment ago) with the clock moved on: only the status
    /// bar (the schedule's age) is drawn again, which is all the clock changes on an idle
    /// console. Nil when something could cover the status bar (a dialog, the lock): draw
    /// the whole frame then.
    public static func withClock(_ frame: CellBuffer, _ model: ConsoleModel, glyphs: Glyphs = .unicode) -> CellBuffer? {
        guard !model.locked, model.overlay == nil, frame.width >= ConsoleLayout.minimumWidth, frame.height >= ConsoleLayout.minimumHeight
        else { return nil }
        var buffer = frame
        statusBar(model, y: frame.height - 1, into: &buffer, glyphs: glyphs)
        return buffer
    }

    /// Nothing of the practice: a prompt for the passphrase, the typing shown as dots.
    static func lockScreen(_ model: ConsoleModel, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let lines: [(String, StyleName)] = [
            ("chronoterm is locked", .title),
            ("", .normal),
            ("Profile \(model.status.profile). Queued writes go on being sent.", .normal),
            (lockPrompt(model), .normal),
            (model.lockOnlyQuits ? "" : String(repeating: "*", count: min(40, model.unlockField.text.count)) + "_", .input),
            (model.unlockError ?? "", .error),
        ]
        let top = max(0, buffer.height / 2 - 3)
        for (index, line) in lines.enumerated() {
            let x = max(0, (buffer.width - TerminalText.width(of: line.0)) / 2)
            buffer.put(line.0, x: x, y: top + index, style: line.1, limit: buffer.width - x)
        }
    }

    /// What unlocks: a person's own passphrase (`chronoterm people passphrase`), or the
    /// profile's.
    static func lockPrompt(_ model: ConsoleModel) -> String {
        switch (model.person, model.lockOnlyQuits) {
        case (let person?, true):
            "\(person) has no lock passphrase yet (the office manager sets one: chronoterm people passphrase \(person)): press Enter to quit."
        case (let person?, false): "\(person), type your lock passphrase and press Enter:"
        case (nil, true): "This profile is sealed by a key file, not a passphrase: press Enter to quit."
        case (nil, false): "Type the profile's passphrase and press Enter:"
        }
    }

    static func tooSmall(_ buffer: inout CellBuffer) {
        let lines = [
            "The window is too small for chronoterm.",
            "It needs \(ConsoleLayout.minimumWidth)×\(ConsoleLayout.minimumHeight); it is \(buffer.width)×\(buffer.height).",
            "Make it larger, or press q to quit.",
        ]
        for (index, line) in lines.enumerated() {
            let y = buffer.height / 2 - 1 + index
            buffer.put(fitting: line, x: 0, y: y, width: buffer.width, style: index == 0 ? .title : .normal)
        }
    }

    static func tabs(_ model: ConsoleModel, into buffer: inout CellBuffer) {
        buffer.fill(x: 0, y: 0, width: buffer.width, height: 1, style: .tab)
        var x = 0
        for pane in Pane.allCases {
            let label = " \(pane.rawValue) \(pane.title) "
            x += buffer.put(label, x: x, y: 0, style: pane == model.pane ? .tabActive : .tab)
            x += 1
        }
        let context: String
        switch model.pane {
        case .schedule, .search: context = dayTitle(model.schedule.day, today: model.now)
        case .notes: context = model.chart.data.map { PatientRow(patient: $0.patient, next: nil).name } ?? ""
        case .billing: context = dayTitle(model.billing.day, today: model.now)
        }
        let w = TerminalText.width(of: context)
        if x + w + 2 < buffer.width { buffer.put(context, x: buffer.width - w - 1, y: 0, style: .tab) }
    }

    /// "Wednesday 3/4/2026 (today)"; `short`, for a narrow window: "Wed 3/4 (today)".
    static func dayTitle(_ day: LocalDateTime, today: LocalDateTime, short: Bool = false) -> String {
        let names = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let relative =
            day.startOfDay == today.startOfDay ? " (today)" : day.startOfDay == today.startOfDay.adding(days: 1) ? " (tomorrow)" : ""
        if short { return "\(names[day.weekday].prefix(3)) \(day.month)/\(day.day)\(relative)" }
        return "\(names[day.weekday]) \(day.month)/\(day.day)/\(day.year)\(relative)"
    }

    static func messageLine(_ model: ConsoleModel, y: Int, into buffer: inout CellBuffer) {
        if let message = model.message {
            // A message longer than the window wraps upward over the pane's last rows (to
            // three), so what a person must read is never cut.
            let lines = Array(TextColumn.wrap(message.text, width: buffer.width - 2, hang: 2).prefix(3))
            for (index, line) in lines.enumerated() {
                buffer.put(
                    fitting: " " + line, x: 0, y: y - (lines.count - 1) + index, width: buffer.width,
                    style: message.isError ? .error : .message)
            }
            return
        }
        buffer.put(fitting: " " + hints(model, width: buffer.width - 2), x: 0, y: y, width: buffer.width, style: .muted)
    }

    /// The pane's most used keys, from the key map so a rebinding shows.
    static func hints(_ model: ConsoleModel, width: Int = .max) -> String {
        let context = KeyContext(model.pane)
        let wanted: [(Action, String)]
        switch model.pane {
        case .schedule:
            wanted = [
                (.book, "book"), (.checkIn, "check in"), (.setStatus, "status"), (.move, "move"), (.cancel, "cancel"),
                (.billing, "billing"), (.chart, "chart"), (.toggleWeek, "week"), (.toggleColumns, "rooms"), (.goToDate, "date"),
            ]
        case .search: wanted = model.search.editing ? [] : [(.open, "chart"), (.book, "book"), (.search, "type")]
        case .notes: wanted = [(.nextSection, "section"), (.find, "find"), (.nextMatch, "next"), (.pageDown, "scroll")]
        case .billing:
            wanted = [(.addLineItem, "add line item"), (.nextDay, "next day"), (.previousDay, "previous day"), (.chart, "chart")]
        }
        var parts: [String] = []
        if model.pane == .search && model.search.editing { parts.append("type to search  ↑↓ pick  Enter open  Esc list keys") }
        for (action, label) in wanted {
            if let key = model.keyMap.keys(for: action, in: context).first ?? model.keyMap.keys(for: action, in: .global).first {
                parts.append("\(key) \(label)")
            }
        }
        for (action, label) in [(Action.command, "command"), (.quit, "quit")] {
            if let key = model.keyMap.keys(for: action, in: .global).first { parts.append("\(key) \(label)") }
        }
        // Whole hints, as many as the window holds, and the key for help always last.
        let help = model.keyMap.keys(for: .help, in: .global).first.map { "\($0) help" }
        var used = help.map { TextColumn.width(of: $0) } ?? 0
        var shown: [String] = []
        for part in parts where used + TextColumn.width(of: part) + 2 <= width {
            shown.append(part)
            used += TextColumn.width(of: part) + 2
        }
        return (shown + [help].compactMap { $0 }).joined(separator: "  ")
    }

    static func statusBar(_ model: ConsoleModel, y: Int, into buffer: inout CellBuffer, glyphs: Glyphs) {
        let status = model.status
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: .statusBar)
        var parts: [String] = []
        parts.append(status.user.isEmpty ? status.profile : "\(status.profile) \(glyphs.dot) \(status.user)")
        let scheduleAge = status.scheduleAsOf.map { "schedule \(age(max(0, model.clock.timeIntervalSince($0)))) old" }
        switch status.sync {
        case .idle:
            if let scheduleAge {
                parts.append(scheduleAge)
            } else if let last = status.lastSync {
                parts.append("synced \(age(model.clock.timeIntervalSince(last))) ago")
            } else {
                parts.append("not synced yet")
            }
        case .working(let what): parts.append(what)
        case .elsewhere: parts.append(scheduleAge.map { "\($0), synced by another chronoterm" } ?? "synced by another chronoterm")
        case .offline, .cannotSave, .hourSpent: break
        }
        parts.append(
            status.queued == 0
                ? "nothing queued"
                : "\(status.queued) queued" + (status.needsAttention > 0 ? " (\(status.needsAttention) need you: chronoterm queue)" : ""))
        if let left = status.budgetLeft { parts.append("budget \(left)" + (status.budgetHourly.map { "/\($0)" } ?? "")) }
        if !model.canWrite { parts.append("read-only") } else if !model.writes.contains(.schedule) { parts.append("billing only") }
        var x = buffer.put(" " + parts.joined(separator: " \(glyphs.vertical) ") + " ", x: 0, y: y, style: .statusBar)
        if case .offline(let why) = status.sync {
            x += buffer.put(" OFFLINE — \(why); writes wait in the queue ", x: x, y: y, style: .offline)
        }
        if case .hourSpent(let until) = status.sync {
            x += buffer.put(
                " The practice's requests for this hour are spent until \(until); writes wait in the queue ", x: x, y: y, style: .offline)
        }
        if case .cannotSave(let why) = status.sync {
            x += buffer.put(" NOT SAVING — \(why): free space; nothing new is kept until then ", x: x, y: y, style: .offline)
        }
        let help = model.keyMap.keys(for: .help, in: .global).first.map { "\($0) help " } ?? ""
        if x + help.count < buffer.width { buffer.put(help, x: buffer.width - help.count, y: y, style: .statusBar) }
    }

    /// "<1m", "4m", "2h", "3d": whole minutes at least. Seconds would change the status
    /// bar every second, and an idle console would wake every second to draw them; the
    /// schedule is read through every minute or so, so "<1m" says all a person needs.
    static func age(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "<1m" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86400 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }

    /// The next moment the frame for `model` changes with the clock alone, its keys and
    /// its mirror unchanged: an age in the status bar reaching its next step, a message
    /// expiring, the idle lock, the next minute (the schedule's "now" line). The loop
    /// sleeps until then.
    public static func nextChange(of model: ConsoleModel) -> Date {
        let clock = model.clock
        let now = clock.timeIntervalSince1970
        var next = (now / 60).rounded(.down) * 60 + 60
        for since in [model.status.scheduleAsOf, model.status.lastSync].compactMap({ $0?.timeIntervalSince1970 }) {
            let age = max(0, now - since)
            let step: Double = age < 3600 ? 60 : age < 86400 ? 3600 : 86400
            next = min(next, since + ((age / step).rounded(.down) + 1) * step)
        }
        if let expires = model.message?.expires.timeIntervalSince1970, expires > now { next = min(next, expires) }
        if let locks = model.locksAt?.timeIntervalSince1970, locks > now { next = min(next, locks) }
        return Date(timeIntervalSince1970: next)
    }
}

/// A rectangle of the screen.
public struct Rect: Sendable, Equatable {
    public var x: Int, y: Int, width: Int, height: Int
    public var bottom: Int { y + height }
}

extension CellBuffer {
    /// A box with a title in its top border; answers its inside.
    @discardableResult
    mutating func box(_ rect: Rect, title: String, glyphs: Glyphs, style: StyleName = .border) -> Rect {
        fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height, style: .overlay)
        guard rect.width >= 4, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let right = rect.x + rect.width - 1
        let bottom = rect.y + rect.height - 1
        for column in rect.x...right {
            put(glyphs.horizontal, x: column, y: rect.y, style: style)
            put(glyphs.horizontal, x: column, y: bottom, style: style)
        }
        for row in rect.y...bottom {
            put(glyphs.vertical, x: rect.x, y: row, style: style)
            put(glyphs.vertical, x: right, y: row, style: style)
        }
        put(glyphs.topLeft, x: rect.x, y: rect.y, style: style)
        put(glyphs.topRight, x: right, y: rect.y, style: style)
        put(glyphs.bottomLeft, x: rect.x, y: bottom, style: style)
        put(glyphs.bottomRight, x: right, y: bottom, style: style)
        if !title.isEmpty {
            // A title longer than the border ends in "…", a space before the corner.
            let room = rect.width - 4
            let shown = TextColumn.width(of: " \(title) ") <= room ? " \(title) " : TextColumn.set(" \(title)", width: room - 1) + " "
            put(shown, x: rect.x + 2, y: rect.y, style: .title, limit: room)
        }
        return Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    }
}
