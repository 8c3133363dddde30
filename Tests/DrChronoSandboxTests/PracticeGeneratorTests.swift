import DrChronoAPI
import Foundation
import SandboxHarness
import Testing

@testable import DrChronoSandbox

@Suite("The synthetic practice")
struct PracticeGeneratorTests {
    static let now = LocalDateTime(year: 2026, month: 3, day: 4, hour: 10, minute: 30)

    func practice(_ size: PracticeSize = .small, seed: UInt64 = 1) -> Practice {
        PracticeGenerator(size: size, seed: seed, now: PracticeGeneratorTests.now).generate()
    }

    @Test("the same seed gives the same practice; another seed another")
    func deterministic() {
        let a = practice()
        let b = practice()
        let c = practice(seed: 2)
        let names = { (p: Practice) in p.patients.all.map { "\($0.firstName) \($0.lastName) \($0.dateOfBirth ?? "")" } }
        #expect(names(a) == names(b))
        #expect(a.appointments.all.map(\.scheduledTime) == b.appointments.all.map(\.scheduledTime))
        #expect(names(a) != names(c))
    }

    @Test("small and practice sizes hold what their descriptions promise")
    func sizes() {
        let small = practice(.small)
        #expect(small.doctors.count == 3 && small.patients.count == 200 && small.offices.count == 2)
        let demo = practice(.practice)
        #expect(demo.offices.count == 3 && demo.doctors.count == 8 && demo.patients.count == 5_000)
        let days = demo.appointments.all.map(\.scheduledTime.dayNumber)
        let today = PracticeGeneratorTests.now.dayNumber
        #expect(days.min()! <= today - 180 && days.max()! >= today + 85, "six months back to three ahead")
        #expect(demo.offices.all.allSatisfy { !$0.examRooms.isEmpty })
        #expect(demo.notes.count > 1_000 && demo.lineItems.count > 1_000 && demo.documents.count > 100)
    }

    @Test("names as a US practice has them: accents, apostrophes, hyphens, other scripts, long ones, shared ones")
    func realisticNames() {
        let patients = Array(practice(.practice).patients.all)
        let names = patients.map { $0.firstName + " " + $0.lastName }
        #expect(
            names.contains { $0.unicodeScalars.contains { !$0.isASCII && $0.properties.isAlphabetic && $0.value < 0x250 } },
            "accented Latin")
        #expect(names.contains { $0.contains("'") } && names.contains { $0.contains("-") })
        #expect(names.contains { $0.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }, "CJK, drawn double-width")
        #expect(names.contains { $0.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } }, "Cyrillic")
        #expect(names.contains { $0.count > 40 })
        let twins = Dictionary(grouping: patients) { "\($0.firstName)|\($0.lastName)|\($0.dateOfBirth ?? "")" }.filter {
            $0.value.count > 1
        }
        #expect(!twins.isEmpty, "some share a name and a birthday")
        #expect(Set(patients.map(\.chartId)).count == patients.count, "chart ids tell them apart")
    }

    @Test("schedules look real: weekdays, working hours, a lunch break each, no double-booked doctor, today busy")
    func realisticSchedules() {
        let practice = practice(.practice)
        var byDoctorDay: [String: [AppointmentRecord]] = [:]
        for a in practice.appointments.all { byDoctorDay["\(a.doctor) \(a.scheduledTime.dayNumber)", default: []].append(a) }
        for (_, day) in byDoctorDay {
            #expect(day.filter(\.isBreak).count == 1)
            let sorted = day.sorted { $0.scheduledTime < $1.scheduledTime }
            for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.endTime <= b.scheduledTime) }
            for a in day { #expect(a.scheduledTime.hour >= 8 && a.endTime <= a.scheduledTime.startOfDay.adding(minutes: 17 * 60)) }
        }
        #expect(practice.appointments.all.allSatisfy { $0.scheduledTime.weekday != 0 && $0.scheduledTime.weekday != 6 })
        let today = PracticeGeneratorTests.now.dayNumber
        let perDay = Dictionary(grouping: practice.appointments.all.filter { !$0.isBreak }) { $0.scheduledTime.dayNumber }.mapValues(
            \.count)
        let average = Double(perDay.values.reduce(0, +)) / Double(perDay.count)
        #expect(Double(perDay[today] ?? 0) > average * 1.2, "today is a busy day")
    }

    @Test("billing codes and diagnoses are real formats; notes only on completed visits")
    func codes() {
        let practice = practice(.small)
        for item in practice.lineItems.all {
            #expect(BillingCodes.problem(code: item.code, procedureType: item.procedureType) == nil, "\(item.code)")
            #expect(item.diagnosisPointers.allSatisfy(BillingCodes.isDiagnosisPointer))
            #expect(practice.appointments[item.appointment]?.status == "Complete")
        }
        for note in practice.notes.all { #expect(practice.appointments[note.appointment]?.status == "Complete") }
        #expect(
            BillingCodes.isDiagnosisPointer("E11.9") && BillingCodes.isDiagnosisPointer("J45.909") && BillingCodes.isDiagnosisPointer("3"))
        #expect(
            !BillingCodes.isDiagnosisPointer("E11.") && !BillingCodes.isDiagnosisPointer("13") && !BillingCodes.isDiagnosisPointer("U07"))
    }
}
