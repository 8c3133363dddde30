import CodeSets
import Foundation
import Testing

@Suite("The ICD-10-CM code list, searched offline")
struct DiagnosisCodeListTests {
    @Test("the shipped list is the 2026 edition's billable codes, with seventh characters spelled out")
    func shippedList() throws {
        let codes = try DiagnosisCodeList.shipped()
        #expect(codes.edition.hasPrefix("ICD-10-CM 2026"))
        #expect(codes.count > 70_000, "every billable code, not a sample")
        #expect(codes.code("I10")?.description == "Essential (primary) hypertension")
        #expect(codes.code("e119")?.code == "E11.9", "typed without the dot, in lower case")
        #expect(codes.code("E11") == nil, "a category is not billable")
        #expect(codes.code("T07.XXXA")?.description == "Unspecified multiple injuries, initial encounter")
    }

    @Test("words find the code: essential hypertension is I10, first")
    func byWords() throws {
        let codes = try DiagnosisCodeList.shipped()
        #expect(codes.search("essential hypertension").first?.code == "I10")
        #expect(codes.search("ess hypert").first?.code == "I10", "the beginnings of words")
        #expect(codes.search("Type 2 diabetes without complications").first?.code == "E11.9")
        let otitis = codes.search("otitis media acute left", limit: 50)
        #expect(!otitis.isEmpty)
        #expect(otitis.allSatisfy { $0.description.lowercased().contains("left") && $0.description.lowercased().contains("acute") })
        #expect(codes.search("zzqx hypertension").isEmpty, "every word must match")
        // What a biller types: the general code first, and only what was typed (no type 1).
        let diabetes = codes.search("type 2 diabetes", limit: 8)
        #expect(diabetes.first?.code == "E11.9", "\(diabetes.map(\.code))")
        #expect(!diabetes.contains { $0.description.lowercased().contains("type 1") }, "\(diabetes.map(\.code))")
        #expect(codes.search("   ").isEmpty)
    }

    @Test("a code or its beginning lists the codes under it in order, then description matches")
    func byCode() throws {
        let codes = try DiagnosisCodeList.shipped()
        let e11 = codes.search("E11.6", limit: 5).map(\.code)
        #expect(e11.first == "E11.610")
        #expect(e11.allSatisfy { $0.hasPrefix("E11.6") })
        #expect(codes.search("j069").first?.code == "J06.9")
        #expect(codes.search("I10", limit: 3).first?.code == "I10")
    }

    @Test("a list of another year is read from its file; a bad file says so")
    func otherFiles() throws {
        let list = try DiagnosisCodeList(tsv: "# ICD-10-CM 2027 (test). 2 codes.\nA00.0\tCholera one\nZ99.9\tDependence on something\n")
        #expect(list.edition == "ICD-10-CM 2027")
        #expect(list.search("cholera").map(\.code) == ["A00.0"])
        #expect(throws: CodeListProblem.self) { try DiagnosisCodeList(tsv: "# nothing\n") }
        let missing = URL(fileURLWithPath: "/nonexistent/icd.tsv")
        #expect(throws: CodeListProblem.self) { try DiagnosisCodeList(contentsOf: missing) }
    }
}
