import Foundation

/// The ICD-10-CM code list chronoterm ships, searched offline by code or by words.
///
/// DrChrono has no code search, so the list travels with the program: every billable
/// code of the year's CMS tabular list (public domain), written by
/// `Scripts/icd10cm-codes.py` into `Resources/icd10cm-2026.tsv`. It is read once per
/// process (a quarter of a second on a release build) into two indexes kept in memory:
/// the codes in order, for a code or its beginning, and each word of the descriptions
/// with the codes it appears in, for words or their beginnings. A search then touches
/// only the codes that carry its rarest word.
///
/// ```swift
/// let codes = try DiagnosisCodeList.shipped()
/// codes.search("essential hypertension").first   // I10 Essential (primary) hypertension
/// codes.search("e11.9").first                    // E11.9 Type 2 diabetes mellitus without complications
/// ```
public final class DiagnosisCodeList: Sendable {
    /// The edition, from the file's header: "ICD-10-CM 2026".
    public let edition: String
    /// Every code, ordered by its key (upper case, no dot).
    private let codes: [DiagnosisCode]
    private let keys: [String]
    /// Every word of every description, lower case, in order.
    private let vocabulary: [String]
    /// Each code's words, as places in the vocabulary.
    private let entryWords: [[Int32]]
    /// For each word, the codes carrying it, best first: the shortest description (the
    /// general code before its specific ones), then the code.
    private let postings: [[Int32]]
    private let rank: [Int32]

    public var count: Int { codes.count }

    /// The list shipped with chronoterm, read once. `CHRONOTERM_ICD10CM` names another file
    /// of the same shape (next year's list, written by the same script).
    public static func shipped() throws -> DiagnosisCodeList {
        try shippedList.get()
    }

    private static let shippedList: Result<DiagnosisCodeList, Error> = Result {
        if let path = ProcessInfo.processInfo.environment["CHRONOTERM_ICD10CM"], !path.isEmpty {
            return try DiagnosisCodeList(contentsOf: URL(fileURLWithPath: path))
        }
        guard let url = Bundle.module.url(forResource: "icd10cm-2026", withExtension: "tsv") else {
            throw CodeListProblem.missing
        }
        return try DiagnosisCodeList(contentsOf: url)
    }

    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw CodeListProblem.unreadable(url.path) }
        try self.init(tsv: String(decoding: data, as: UTF8.self))
    }

    /// Reads `CODE<TAB>DESCRIPTION` lines; a first line starting with `#` names the edition.
    public init(tsv: String) throws {
        var edition = "ICD-10-CM"
        var codes: [DiagnosisCode] = []
        var descriptionWords: [[String]] = []
        let bytes = Array(tsv.utf8)
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            defer { start = end + 1 }
            let line = bytes[start..<end]
            if line.first == UInt8(ascii: "#") {
                let header = String(decoding: line.dropFirst(), as: UTF8.self)
                edition = String(header.prefix { $0 != "." && $0 != "(" }).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
            let description = line[(tab + 1)...]
            codes.append(
                DiagnosisCode(
                    code: String(decoding: line[..<tab], as: UTF8.self),
                    description: String(decoding: description, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
            descriptionWords.append(Self.words(utf8: description))
        }
        guard !codes.isEmpty else { throw CodeListProblem.empty }
        var keys = codes.map { DiagnosisCode.key($0.code) }
        // The script writes the list in key order; another file may not be.
        if zip(keys, keys.dropFirst()).contains(where: { $0 > $1 }) {
            let order = keys.indices.sorted { keys[$0] < keys[$1] }
            codes = order.map { codes[$0] }
            descriptionWords = order.map { descriptionWords[$0] }
            keys = order.map { keys[$0] }
        }
        self.edition = edition
        self.codes = codes
        self.keys = keys
        let vocabulary = Array(Set(descriptionWords.joined())).sorted()
        var place: [String: Int32] = [:]
        for (index, word) in vocabulary.enumerated() { place[word] = Int32(index) }
        let entryWords = descriptionWords.map { words in Array(Set(words.map { place[$0]! })) }
        let order = codes.indices.sorted {
            (codes[$0].description.utf8.count, $0) < (codes[$1].description.utf8.count, $1)
        }
        var rank = [Int32](repeating: 0, count: codes.count)
        for (position, code) in order.enumerated() { rank[code] = Int32(position) }
        var postings = [[Int32]](repeating: [], count: vocabulary.count)
        for code in order { for word in entryWords[code] { postings[Int(word)].append(Int32(code)) } }
        self.vocabulary = vocabulary
        self.entryWords = entryWords
        self.postings = postings
        self.rank = rank
    }

    /// The code exactly as typed (with or without its dot), if it is a billable code.
    public func code(_ typed: String) -> DiagnosisCode? {
        let key = DiagnosisCode.key(typed)
        let at = lowerBound(key, in: keys)
        return at < keys.count && keys[at] == key ? codes[at] : nil
    }

    /// The codes a person means by `query`: those starting with it when it looks like a
    /// code (`I10`, `e11`, `S52.5`), then those whose description has every word of it,
    /// each word or its beginning (`ess hypert`; a number only as itself: "2" is not "25").
    /// Best first: the words in the order typed ("type 2 diabetes" before "diabetes …
    /// type 2"), then the fewest words beyond those typed — "without complications" and
    /// "unspecified" not counted, so the general code comes before its many specific
    /// ones — then the shortest description.
    public func search(_ query: String, limit: Int = 20) -> [DiagnosisCode] {
        let terms = Self.words(utf8: query.utf8)
        guard !terms.isEmpty, limit > 0 else { return [] }
        var found: [Int] = []
        var seen = Set<Int>()
        let typed = query.trimmingCharacters(in: .whitespaces)
        if let first = typed.first, first.isLetter, typed.contains(where: \.isNumber),
            typed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." })
        {
            let key = DiagnosisCode.key(typed)
            var at = lowerBound(key, in: keys)
            while at < keys.count, keys[at].hasPrefix(key), found.count < limit {
                found.append(at)
                seen.insert(at)
                at += 1
            }
        }
        guard found.count < limit else { return found.map { codes[$0] } }
        // Each word the rarest term begins lists its codes best first: walking each list
        // until enough codes carry every other term finds the best, however common the word.
        let ranges = terms.map { term in term.allSatisfy(\.isNumber) ? exactRange(term) : prefixRange(term) }
        guard !ranges.contains(where: \.isEmpty),
            let rarest = ranges.indices.min(by: { postingCount(ranges[$0]) < postingCount(ranges[$1]) })
        else { return found.map { codes[$0] } }
        let others = ranges.enumerated().filter { $0.offset != rarest }.map(\.element)
        let wanted = limit - found.count
        // Candidates beyond what is shown, so the order below can bring the general code up.
        let gathered = wanted * 6
        var matches = Set<Int>()
        for word in ranges[rarest] {
            var taken = 0
            for code in postings[word] where !seen.contains(Int(code)) {
                let carries = others.allSatisfy { range in entryWords[Int(code)].contains { range.contains(Int($0)) } }
                guard carries else { continue }
                matches.insert(Int(code))
                taken += 1
                if taken == gathered { break }
            }
        }
        func fits(_ word: String, _ term: String) -> Bool { term.allSatisfy(\.isNumber) ? word == term : word.hasPrefix(term) }
        func order(_ code: Int) -> (Int, Int, Int32) {
            let words = Self.words(utf8: codes[code].description.utf8)
            // The terms in the order typed (other words may stand between).
            var next = 0
            for word in words where next < terms.count && fits(word, terms[next]) { next += 1 }
            let extra = words.filter { word in
                !terms.contains { fits(word, $0) } && !["without", "complications", "unspecified"].contains(word)
            }.count
            return (next == terms.count ? 0 : 1, extra, rank[code])
        }
        found += matches.map { ($0, order($0)) }.sorted { $0.1 < $1.1 }.prefix(wanted).map(\.0)
        return found.map { codes[$0] }
    }

    // MARK: Indexes

    /// Lower-case words: runs of letters and digits (any byte of a non-ASCII letter counts).
    static func words(utf8 text: some Collection<UInt8>) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        for byte in text {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte | 0x20)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...: word.append(byte)
            default:
                if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    private func postingCount(_ range: Range<Int>) -> Int { range.reduce(0) { $0 + postings[$1].count } }

    /// The vocabulary's words that begin with `prefix`.
    /// The vocabulary's place of `word` itself (empty when no description has it).
    private func exactRange(_ word: String) -> Range<Int> {
        let start = lowerBound(word, in: vocabulary)
        return start < vocabulary.count && vocabulary[start] == word ? start..<start + 1 : start..<start
    }

    private func prefixRange(_ prefix: String) -> Range<Int> {
        let start = lowerBound(prefix, in: vocabulary)
        var end = start
        while end < vocabulary.count, vocabulary[end].hasPrefix(prefix) { end += 1 }
        return start..<end
    }

    private func lowerBound<S: StringProtocol, T: StringProtocol>(_ value: S, in sorted: [T]) -> Int {
        var (low, high) = (0, sorted.count)
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Why the code list could not be read: said to the person, who can still type codes.
public enum CodeListProblem: Error, Sendable, CustomStringConvertible {
    case missing, empty
    case unreadable(String)

    public var description: String {
        switch self {
        case .missing:
            "The ICD-10-CM code list is not installed beside chronoterm (chronoterm_CodeSets.resources): codes can still be typed."
        case .empty: "The ICD-10-CM code list is empty: codes can still be typed."
        case .unreadable(let path): "The ICD-10-CM code list at \(path) cannot be read: codes can still be typed."
        }
    }
}
