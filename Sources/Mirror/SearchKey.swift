import DrChronoAPI
import Foundation

/// Text folded the way a front desk types it: no case, no accents, one space between
/// words, punctuation dropped ("Zoë O'Brien-Núñez" → "zoe obrien nunez"), so "zoe",
/// "ZOË" and "obrien" all find her.
public enum SearchKey {
    public static func fold(_ text: String) -> String {
        let stripped = text.folding(
            options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var out = ""
        var pendingSpace = false
        for scalar in stripped.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                if let plain = undecomposed[scalar] { out.append(plain) } else { out.unicodeScalars.append(scalar) }
            } else if scalar == "'" || scalar == "’" || scalar == "." {
                continue  // O'Brien → obrien, St. John → st john
            } else {
                pendingSpace = true
            }
        }
        return out.lowercased()
    }

    /// Letters that carry no combining mark to strip (a stroke, a ligature, an old
    /// letter), as a US keyboard types them: "lukasz" finds Łukasz, "soren" Søren.
    static let undecomposed: [Unicode.Scalar: String] = [
        "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ẞ": "ss", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h",
        "ŧ": "t", "ŀ": "l", "ĳ": "ij", "ſ": "s", "ƒ": "f", "ɨ": "i", "ʉ": "u", "ŋ": "n", "ƀ": "b", "ǥ": "g", "ɍ": "r", "ȼ": "c",
    ]

    /// Only the digits: how phone numbers are matched ("(555) 010-1234" → "5550101234").
    public static func digits(_ text: String) -> String {
        String(text.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
    }

    /// The keys one patient is found by.
    static func keys(for patient: Patient) -> Set<String> {
        var keys = Set<String>()
        let first = fold(patient.firstName)
        let last = fold(patient.lastName)
        let nick = fold(patient.nickName)
        // A surname of several words ("García López", "O'Brien-Nguyễn") is found by each
        // of them, as the desk may know only one: "lopez maria" and "maria lopez" find her.
        let surnames = last.split(separator: " ").indices.map { last.split(separator: " ")[$0...].joined(separator: " ") }
        for given in [first, nick] where !given.isEmpty {
            keys.insert(last.isEmpty ? given : "\(given) \(last)")
            for surname in surnames { keys.insert("\(surname) \(given)") }
            for surname in surnames.dropFirst() { keys.insert("\(given) \(surname)") }
        }
        if first.isEmpty && nick.isEmpty && !last.isEmpty { keys.insert(last) }
        if !patient.chartId.isEmpty { keys.insert(fold(patient.chartId)) }
        if let dob = patient.dateOfBirth, let date = LocalDateTime(dob) {
            keys.insert(date.dateString)  // 1990-05-17
            keys.insert(String(format: "%02d/%02d/%04d", date.month, date.day, date.year))  // 05/17/1990
            keys.insert(String(format: "%d/%d/%04d", date.month, date.day, date.year))  // 5/17/1990
        }
        for phone in [patient.cellPhone, patient.homePhone, patient.officePhone] {
            let digits = digits(phone)
            if digits.count >= 7 { keys.insert(digits) }
        }
        return keys
    }
}
