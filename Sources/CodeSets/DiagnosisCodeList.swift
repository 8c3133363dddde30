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
    /// The file as read: the descriptions stay in it, each code holding only where its
    /// own begins and ends (a String per description would double the list's memory).
    private let text: [UInt8]
    /// Every code as claims write it, ordered by its key (upper case, no dot).
    private let codeNames: [String]
    private let keys: [String]
    /// Each code's description, as a range of `text`: begins at `spans[2i]`, ends at `spans[2i+1]`.
    private let spans: [Int32]
    /// Every word of every description, lower case, in order.
    private let vocabulary: [String]
    /// Each code's words, as places in the vocabulary (in one flat array, not 75,000 small ones).
    private let entryWords: FlatLists
    /// For each word, the codes carrying it, best first: the shortest description (the
    /// general code before its specific ones), then the code.
    private let postings: FlatLists
    private let rank: [Int32]

    public var count: Int { codeNames.count }

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
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: url)) } catch { throw CodeListProblem.unreadable(url.path) }
        try self.init(utf8: bytes)
    }

    /// Reads `CODE<TAB>DESCRIPTION` lines; a first line starting with `#` names the edition.
    public convenience init(tsv: String) throws {
        try self.init(utf8: Array(tsv.utf8))
    }

    private init(utf8 bytes: [UInt8]) throws {
        var edition = "ICD-10-CM"
        var lines: [(code: String, key: String, from: Int32, to: Int32)] = []
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
            var (from, to) = (tab + 1, end)
            while from < to, Self.isSpace(bytes[from]) { from += 1 }
            while to > from, Self.isSpace(bytes[to - 1]) { to -= 1 }
            let code = String(decoding: line[..<tab], as: UTF8.self)
            lines.append((code, DiagnosisCode.key(code), Int32(from), Int32(to)))
        }
        guard !lines.isEmpty else { throw CodeListProblem.empty }
        // The script writes the list in key order; another file may not be.
        if zip(lines, lines.dropFirst()).contains(where: { $0.key > $1.key }) { lines.sort { $0.key < $1.key } }
        var spans: [Int32] = []
        spans.reserveCapacity(lines.count * 2)
        for line in lines { spans += [line.from, line.to] }
        // Words numbered as first met, then renumbered in the vocabulary's sorted order.
        var met: [String: Int32] = [:]
        var words = FlatLists.Builder()
        for line in lines {
            var seen = Set<Int32>()
            for word in Self.words(utf8: bytes[Int(line.from)..<Int(line.to)]) {
                let number = met[word] ?? Int32(met.count)
                met[word] = number
                if seen.insert(number).inserted { words.append(number) }
            }
            words.close()
        }
        let vocabulary = met.keys.sorted()
        var renumber = [Int32](repeating: 0, count: vocabulary.count)
        for (place, word) in vocabulary.enumerated() { renumber[Int(met[word]!)] = Int32(place) }
        let entryWords = words.build().mapped { renumber[Int($0)] }
        let order = lines.indices.sorted { (lines[$0].to - lines[$0].from, $0) < (lines[$1].to - lines[$1].from, $1) }
        var rank = [Int32](repeating: 0, count: lines.count)
        for (position, code) in order.enumerated() { rank[code] = Int32(position) }
        var postings = [[Int32]](repeating: [], count: vocabulary.count)
        for code in order { for word in entryWords[code] { postings[Int(word)].append(Int32(code)) } }
        self.edition = edition
        self.text = bytes
        self.codeNames = lines.map(\.code)
        self.keys = lines.map(\.key)
        self.spans = spans
        self.vocabulary = vocabulary
        self.entryWords = entryWords
        self.postings = FlatLists(postings)
        self.rank = rank
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

    /// The code at `index`, its description read out of the file's bytes.
    private func entry(_ index: Int) -> DiagnosisCode {
        DiagnosisCode(code: codeNames[index], description: String(decoding: description(index), as: UTF8.self))
    }

    private func description(_ index: Int) -> ArraySlice<UInt8> { text[Int(spans[2 * index])..<Int(spans[2 * index + 1])] }

    /// The code exactly as typed (with or without its dot), if it is a billable code.
    public func code(_ typed: String) -> DiagnosisCode? {
        let key = DiagnosisCode.key(typed)
        let at = lowerBound(key, in: keys)
        return at < keys.count && keys[at] == key ? entry(at) : nil
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
        guard found.count < limit else { return found.map(entry) }
        // Each word the rarest term begins lists its codes best first: walking each list
        // until enough codes carry every other term finds the best, however common the word.
        let ranges = terms.map { term in term.allSatisfy(\.isNumber) ? exactRange(term) : prefixRange(term) }
        guard !ranges.contains(where: \.isEmpty),
            let rarest = ranges.indices.min(by: { postingCount(ranges[$0]) < postingCount(ranges[$1]) })
        else { return found.map(entry) }
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
            let words = Self.words(utf8: description(code))
            // The terms in the order typed (other words may stand between).
            var next = 0
            for word in words where next < terms.count && fits(word, terms[next]) { next += 1 }
            let extra = words.filter { word in
                !terms.contains { fits(word, $0) } && !["without", "complications", "unspecified"].contains(word)
            }.count
            return (next == terms.count ? 0 : 1, extra, rank[code])
        }
        found += matches.map { ($0, order($0)) }.sorted { $0.1 < $1.1 }.prefix(wanted).map(\.0)
        return found.map(entry)
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
