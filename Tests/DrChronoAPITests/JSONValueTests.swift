import DrChronoAPI
import Foundation
import Testing

@Suite("JSON as DrChrono sends it")
struct JSONValueTests {
    @Test("parses and writes back, keeping key order and escaping what must be escaped")
    func roundTrip() throws {
        let object: JSONValue = ["b": 1, "a": ["x", .null, true, .double(2.5)], "name": "Zoë \"Z\" O'Brien\n\u{1B}[31m"]
        let text = object.serializedString
        #expect(text == #"{"b":1,"a":["x",null,true,2.5],"name":"Zoë \"Z\" O'Brien\n\u001b[31m"}"#)
        #expect(try JSONValue.parse(Data(text.utf8)).objectValue?["name"] == object.objectValue?["name"])
    }

    @Test("numbers as strings and strings as numbers, the way DrChrono mixes them")
    func tolerantScalars() {
        #expect(JSONValue.string("1000123").intValue == 1_000_123)
        #expect(JSONValue.int(42).stringValue == "42")
        #expect(JSONValue.string("110.00").doubleValue == 110)
        #expect(JSONValue.string("true").boolValue == true && JSONValue.int(0).boolValue == false)
        #expect(JSONValue.string("twelve").intValue == nil && JSONValue.double(1.5).intValue == nil)
    }

    @Test("escapes, surrogate pairs, numbers and document key order read as written")
    func reading() throws {
        let text =
            #" { "z": "tab\there \u00e9 \ud83d\ude00 \ud800 \/", "a": [0, -12, 3.25, 1e3, 12345678901234567890, true, false, null], "m": {} } "#
        let value = try JSONValue.parse(Data(text.utf8))
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m"], "keys in the order they came")
        #expect(object["z"] == .string("tab\there é 😀 \u{FFFD} /"))
        #expect(
            object["a"]
                == .array([.int(0), .int(-12), .double(3.25), .double(1000), .double(12_345_678_901_234_567_890), true, false, .null]))
        #expect(object["m"] == .object([:]))
        // Bytes that are not UTF-8 are repaired, not refused.
        let latin1 = Data([0x22, 0x4C, 0xF3, 0x70, 0x65, 0x7A, 0x22])
        #expect(try JSONValue.parse(latin1) == .string("L\u{FFFD}pez"))
    }

    @Test(
        "malformed JSON throws instead of trapping: bad literals, leading zeros, raw control characters, text after the document, nesting past 512"
    )
    func malformed() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        for text in ["{", "[1,", "nul", "{\"a\" 1}", "", "\u{0}", "01", "1.", "-", "\"a\u{1}b\"", "{} x", "[1 2]", "\"\\q\"", deep] {
            #expect(throws: (any Error).self) { try JSONValue.parse(Data(text.utf8)) }
        }
    }
}

@Suite("Zone-less timestamps")
struct LocalDateTimeTests {
    @Test("reads DrChrono's forms and refuses impossible ones")
    func parsing() {
        #expect(LocalDateTime("2021-02-14T13:40:39")?.description == "2021-02-14T13:40:39")
        #expect(LocalDateTime("2021-02-14")?.description == "2021-02-14T00:00:00")
        #expect(LocalDateTime("2021-02-14 13:40")?.description == "2021-02-14T13:40:00")
        #expect(LocalDateTime("2021-02-14T13:40:39.123456Z")?.description == "2021-02-14T13:40:39")
        for bad in ["2021-02-30", "2021-13-01", "14/02/2021", "2021-02-14T25:00:00", "2021-02-14T13:40:39junk", ""] {
            #expect(LocalDateTime(bad) == nil, "\(bad)")
        }
        #expect(LocalDateTime("2024-02-29") != nil && LocalDateTime("2023-02-29") == nil)
    }

    @Test("calendar arithmetic across months, years and leap days")
    func arithmetic() {
        let start = LocalDateTime(year: 2024, month: 2, day: 28, hour: 23, minute: 30)
        #expect(start.adding(minutes: 45).description == "2024-02-29T00:15:00")
        #expect(start.adding(days: 366).dateString == "2025-02-28")
        #expect(LocalDateTime(year: 2026, month: 3, day: 4).weekday == 3, "a Wednesday")
        #expect(LocalDateTime(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(LocalDateTime(secondsSinceEpoch: -1).description == "1969-12-31T23:59:59")
    }

    @Test("converts to and from instants in a practice's time zone")
    func zones() {
        let chicago = TimeZone(identifier: "America/Chicago")!
        let wall = LocalDateTime(year: 2026, month: 7, day: 1, hour: 9)
        let instant = wall.date(in: chicago)
        #expect(instant.timeIntervalSince1970 == 1_782_914_400)  // 14:00 UTC, daylight time
        #expect(LocalDateTime(instant, in: chicago) == wall)
    }
}

@Suite("The libcurl transport")
struct CurlTransportTests {
    @Test("a refused connection is reported as never having reached the server")
    func refused() async {
        do {
            _ = try await CurlTransport().send(
                HTTPRequest(method: "POST", url: URL(string: "http://127.0.0.1:9/api/appointments")!, body: Data("{}".utf8)))
            Issue.record("port 9 answered")
        } catch {
            #expect(!error.mayHaveReachedServer, "\(error)")
        }
    }
}
