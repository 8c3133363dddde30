import DrChronoAPI

/// Builds a synthetic practice, the same one for the same seed, size and day.
///
/// Schedules look like a real practice's: weekday working hours, a lunch break per
/// doctor (an `appt_is_break` appointment), visits whose statuses follow the time of
/// day (complete in the morning, in session now, confirmed this afternoon), notes on
/// past visits and line items on billed ones. Today is always a busy day.
struct PracticeGenerator {
    var size: PracticeSize
    var seed: UInt64
    /// The practice's wall clock at generation.
    var now: LocalDateTime

    /// The latest moment generated history reaches: a minute before the sandbox starts,
    /// so `since=<start time>` lists only what changed once it was running.
    private var historyEnd: LocalDateTime { now.adding(seconds: -60) }

    func generate() -> Practice {
        var rng = SeededRandom(seed: seed)
        var practice = Practice()
        let shape = size.shape
        let today = now.startOfDay
        let epoch = today.adding(days: -(shape.daysBack + 400))  // when the practice "opened"

        // Offices and exam rooms.
        for index in 0..<shape.offices {
            let city = SyntheticPeople.cities[index % SyntheticPeople.cities.count]
            let rooms = (1...shape.roomsPerOffice).map { ExamRoom(index: $0, name: "Exam \($0)", onlineScheduling: false) }
            practice.offices.insert(
                OfficeRecord(
                    id: index + 1, name: SyntheticPeople.officeNames[index % SyntheticPeople.officeNames.count],
                    address: "\(100 + index * 17) \(SyntheticPeople.streets[index % SyntheticPeople.streets.count])",
                    city: city.0, state: city.1, zip: "\(city.2)\(10 + index)", phone: "(555) 010-\(1000 + index)",
                    doctor: 101, examRooms: rooms, startTime: "08:00", endTime: "17:00", archived: false, updatedAt: epoch), id: index + 1)
        }

        // Doctors, each working from one office.
        var doctorOffice: [Int: Int] = [:]
        var doctorRoom: [Int: Int] = [:]
        for index in 0..<shape.doctors {
            let id = 101 + index
            let first = SyntheticPeople.doctorFirstNames[index % SyntheticPeople.doctorFirstNames.count]
            let last = SyntheticPeople.doctorLastNames[
                (index / SyntheticPeople.doctorFirstNames.count + index) % SyntheticPeople.doctorLastNames.count]
            practice.doctors.insert(
                DoctorRecord(
                    id: id, firstName: first, lastName: last, suffix: "MD",
                    specialty: SyntheticPeople.specialties[index % SyntheticPeople.specialties.count],
                    email: "\(first.lowercased()).\(last.lowercased())@sandbox.example.org",
                    npi: String(1_000_000_000 + index * 7919 + Int(seed % 1000)), officePhone: "(555) 010-\(2000 + index)",
                    updatedAt: epoch), id: id)
            doctorOffice[id] = index % shape.offices + 1
            doctorRoom[id] = (index / shape.offices) % shape.roomsPerOffice + 1
        }

        // Appointment profiles, practice-wide.
        for (index, profile) in SyntheticPeople.profiles.enumerated() {
            practice.profiles.insert(
                ProfileRecord(
                    id: 201 + index, name: profile.name, color: profile.color, reason: profile.reason,
                    duration: profile.duration, doctor: nil, sortOrder: index, archived: false, updatedAt: epoch), id: 201 + index)
        }

        // Clinical note field types of one SOAP template.
        let fields = ["Chief Complaint", "History of Present Illness", "Assessment", "Plan", "Blood Pressure"]
        for (index, name) in fields.enumerated() {
            practice.fieldTypes.insert(
                FieldTypeRecord(id: 301 + index, template: 31, name: name, dataType: "String", allowMultiple: false, archived: false),
                id: 301 + index)
        }

        generatePatients(into: &practice, rng: &rng, epoch: epoch, today: today)
        generateSchedule(into: &practice, rng: &rng, today: today, doctorOffice: doctorOffice, doctorRoom: doctorRoom)
        generateFrontDesk(into: &practice, today: today, doctorOffice: doctorOffice)
        BillerPractice.generate(into: &practice, today: today)
        return practice
    }

    private func generatePatients(into practice: inout Practice, rng: inout SeededRandom, epoch: LocalDateTime, today: LocalDateTime) {
        let shape = size.shape
        var previous: [PatientRecord] = []
        for index in 0..<shape.patients {
            let id = 10_001 + index
            var first = rng.pick(SyntheticPeople.firstNames)
            var last = rng.pick(SyntheticPeople.lastNames)
            var dob = LocalDateTime(year: rng.int(1932...2023), month: rng.int(1...12), day: rng.int(1...28)).dateString
            // Shared names, and now and then a shared name and birthday: the cases a
            // front desk must tell apart by chart id.
            if index % 41 == 40, let twin = previous.last {
                first = twin.firstName; last = twin.lastName
                if index % 3 == 0 { dob = twin.dateOfBirth ?? dob }
            }
            let gender = rng.pick(["Male", "Female", "Female", "Male", "Other", "UNK"])
            let city = rng.pick(SyntheticPeople.cities)
            let asciiName = (first + last).unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic }.map(String.init).joined()
                .uppercased()
            let chartPrefix = asciiName.count >= 4 ? String(asciiName.prefix(4)) : "PTNT"
            let created = epoch.adding(days: rng.int(0...(shape.daysBack + 390))).adding(minutes: rng.int(480...1020))
            let emailName = (first + "." + last).lowercased().unicodeScalars.filter {
                $0.isASCII && ($0.properties.isAlphabetic || $0 == ".")
            }.map(String.init).joined()
            let patient = PatientRecord(
                id: id, chartId: "\(chartPrefix)\(zeroPadded(index + 1, width: 6))",
                firstName: first, middleName: rng.pick(SyntheticPeople.middleNames), lastName: last,
                nickName: rng.chance(0.05) ? String(first.prefix(3)) : "",
                dateOfBirth: rng.chance(0.995) ? dob : nil, gender: gender,
                email: rng.chance(0.8) ? "\(emailName.isEmpty ? "patient" : emailName)\(index)@example.com" : "",
                cellPhone: "(555) 01\(rng.int(0...9))-\(zeroPadded(rng.int(0...9999), width: 4))",
                homePhone: rng.chance(0.3) ? "(555) 02\(rng.int(0...9))-\(zeroPadded(rng.int(0...9999), width: 4))" : "",
                address: "\(rng.int(1...9999)) \(rng.pick(SyntheticPeople.streets))", city: city.0, state: city.1,
                zip: "\(city.2)\(rng.int(10...99))", doctor: 101 + rng.int(0..<shape.doctors), offices: [rng.int(1...shape.offices)],
                patientStatus: rng.chance(0.95) ? "A" : "I", preferredLanguage: rng.pick(["eng", "eng", "eng", "spa", "zho", "other"]),
                copay: rng.chance(0.5) ? Money.format(Double(rng.pick([10, 20, 25, 30, 40]))) : nil,
                createdAt: created,
                updatedAt: PracticeGenerator.spread(created.adding(days: rng.int(0...60)), after: created, before: historyEnd, rng: &rng))
            practice.patients.insert(patient, id: id)
            previous.append(patient)
            if previous.count > 8 { previous.removeFirst() }

            // Charts: problems, medications and allergies for some patients.
            if rng.chance(0.4) {
                let dx = rng.pick(SyntheticPeople.icd10)
                let pid = practice.problems.lastId == 0 ? 40_001 : practice.problems.lastId + 1
                practice.problems.insert(
                    ProblemRecord(
                        id: pid, patient: id, doctor: patient.doctor, appointment: nil, name: dx.1, icdCode: dx.0,
                        status: rng.chance(0.8) ? "active" : "resolved", dateOnset: created.dateString, dateDiagnosis: created.dateString,
                        notes: "", updatedAt: patient.updatedAt), id: pid)
            }
            if rng.chance(0.35) {
                let med = rng.pick(SyntheticPeople.medications)
                let mid = practice.medications.lastId == 0 ? 50_001 : practice.medications.lastId + 1
                practice.medications.insert(
                    MedicationRecord(
                        id: mid, patient: id, doctor: patient.doctor, appointment: nil, name: med.name, rxnorm: med.rxnorm,
                        dosageQuantity: med.dose, dosageUnits: med.units, frequency: med.frequency, route: "oral",
                        status: "active", datePrescribed: created.dateString, dateStartedTaking: created.dateString,
                        dateStoppedTaking: nil, numberRefills: rng.int(0...5), notes: "", updatedAt: patient.updatedAt), id: mid)
            }
            if rng.chance(0.25) {
                let allergy = rng.pick(SyntheticPeople.allergies)
                let aid = practice.allergies.lastId == 0 ? 60_001 : practice.allergies.lastId + 1
                practice.allergies.insert(
                    AllergyRecord(
                        id: aid, patient: id, doctor: patient.doctor, description: allergy.0, reaction: allergy.1,
                        status: "active", notes: "", updatedAt: patient.updatedAt), id: aid)
            }
            if rng.chance(0.1) {
                let did = practice.documents.lastId == 0 ? 70_001 : practice.documents.lastId + 1
                let kind = rng.pick(["Intake form", "Insurance card", "Outside lab report", "Consent to treat"])
                practice.documents.insert(
                    DocumentRecord(
                        id: did, patient: id, doctor: patient.doctor, description: kind, date: created.dateString,
                        metatags: [kind.lowercased()], fileName: "scan-\(did).pdf", contentType: "application/pdf",
                        bytes: PracticeGenerator.documentPDF(kind, patient: patient, date: created), archived: false,
                        updatedAt: patient.updatedAt), id: did)
            }
        }
    }

    private func generateSchedule(
        into practice: inout Practice, rng: inout SeededRandom, today: LocalDateTime,
        doctorOffice: [Int: Int], doctorRoom: [Int: Int]
    ) {
        let shape = size.shape
        let patientCount = practice.patients.count
        let profiles = Array(practice.profiles.all)
        var nextAppointment = 1_000_001
        var nextNote = 2_000_001
        var nextLineItem = 3_000_001
        var nextValue = 4_000_001
        for offset in -shape.daysBack...shape.daysAhead {
            let day = today.adding(days: offset)
            guard day.weekday != 0, day.weekday != 6 else { continue }
            let fill = offset == 0 ? 0.92 : shape.fillRate
            for doctor in practice.doctors.all {
                let office = doctorOffice[doctor.id]!
                let room = doctorRoom[doctor.id]!
                let lunch = day.adding(minutes: 12 * 60)
                practice.insertAppointment(
                    AppointmentRecord(
                        id: nextAppointment, doctor: doctor.id, office: office, examRoom: room, patient: nil,
                        scheduledTime: lunch, duration: 60, status: "", reason: "Lunch", notes: "", profile: nil,
                        isBreak: true, isWalkIn: false, allowOverlapping: false, deleted: false, icd10Codes: [], color: "#CCCCCC",
                        createdAt: day.adding(days: -30), updatedAt: min(day.adding(days: -30), historyEnd)))
                nextAppointment += 1

                var time = day.adding(minutes: 8 * 60)
                let close = day.adding(minutes: 17 * 60)
                while time < close {
                    if time >= lunch && time < lunch.adding(minutes: 60) { time = lunch.adding(minutes: 60); continue }
                    let profile = profiles[rng.int(0..<profiles.count)]
                    let duration = time < lunch && time.adding(minutes: profile.duration) > lunch ? 15 : profile.duration
                    guard time.adding(minutes: duration) <= close, rng.chance(fill) else { time = time.adding(minutes: 15); continue }
                    let patient = 10_001 + rng.int(0..<patientCount)
                    let end = time.adding(minutes: duration)
                    let status = PracticeGenerator.status(start: time, end: end, now: now, rng: &rng)
                    let booked = PracticeGenerator.spread(
                        time.adding(days: -rng.int(1...45)).adding(minutes: -rng.int(0...300)),
                        after: historyEnd.adding(days: -45), before: historyEnd, rng: &rng)
                    var updated = booked
                    // Statuses change at the visit; a change "later" than the history's
                    // end is spread over what time there was, not piled at its end.
                    if end <= now {
                        updated = PracticeGenerator.spread(end.adding(minutes: rng.int(5...120)), after: end, before: historyEnd, rng: &rng)
                    } else if time <= now {
                        updated = PracticeGenerator.spread(
                            time.adding(minutes: rng.int(0...10)), after: time, before: historyEnd, rng: &rng)
                    }
                    let dx = rng.pick(SyntheticPeople.icd10)
                    let appointment = AppointmentRecord(
                        id: nextAppointment, doctor: doctor.id, office: office, examRoom: room, patient: patient,
                        scheduledTime: time, duration: duration, status: status, reason: profile.reason, notes: "",
                        profile: profile.id, isBreak: false, isWalkIn: rng.chance(0.03), allowOverlapping: false,
                        deleted: false, icd10Codes: status == "Complete" ? [dx.0] : [], color: profile.color,
                        createdAt: booked, updatedAt: updated)
                    practice.insertAppointment(appointment)
                    nextAppointment += 1

                    if status == "Complete", offset > -shape.chartedDays {
                        let locked = end.adding(days: 1) <= now
                        let values = [
                            NoteValue(id: nextValue, field: 301, value: rng.pick(SyntheticPeople.complaints)),
                            NoteValue(
                                id: nextValue + 1, field: 302,
                                value: "Patient reports symptoms for \(rng.int(1...14)) days. No fever at home."),
                            NoteValue(id: nextValue + 2, field: 305, value: "\(rng.int(104...152))/\(rng.int(62...94))"),
                            NoteValue(id: nextValue + 3, field: 303, value: "\(dx.1) (\(dx.0))"),
                            NoteValue(id: nextValue + 4, field: 304, value: rng.pick(SyntheticPeople.plans)),
                        ]
                        nextValue += values.count
                        practice.insertNote(
                            ClinicalNoteRecord(
                                id: nextNote, appointment: appointment.id, patient: patient, doctor: doctor.id, office: office,
                                sections: [
                                    NoteSection(name: "Subjective", template: 31, values: Array(values[0...1])),
                                    NoteSection(name: "Objective", template: 31, values: [values[2]]),
                                    NoteSection(name: "Assessment and Plan", template: 31, values: Array(values[3...4])),
                                ],
                                lockedBy: locked ? "\(doctor.firstName.lowercased()).\(doctor.lastName.lowercased())" : nil,
                                archived: false, createdAt: min(end, historyEnd),
                                updatedAt: PracticeGenerator.spread(
                                    locked ? end.adding(minutes: 240) : end, after: min(end, historyEnd), before: historyEnd, rng: &rng)))
                        nextNote += 1

                        if rng.chance(0.85) {
                            let visit = rng.pick(Array(SyntheticPeople.cptCodes.prefix(5)))
                            var items = [(visit, "C")]
                            if rng.chance(0.3) { items.append((rng.pick(Array(SyntheticPeople.cptCodes.dropFirst(5))), "C")) }
                            if rng.chance(0.1) { items.append((rng.pick(SyntheticPeople.hcpcsCodes), "H")) }
                            var claim: [LineItemRecord] = []
                            for (code, type) in items {
                                claim.append(
                                    LineItemRecord(
                                        id: nextLineItem, appointment: appointment.id, patient: patient, doctor: doctor.id,
                                        code: code.0, procedureType: type, description: code.1, modifiers: [],
                                        diagnosisPointers: [dx.0], units: "UN", quantity: 1, price: code.2,
                                        serviceDate: day.dateString, postedDate: locked ? end.adding(days: 1).dateString : nil,
                                        billingStatus: locked ? "Incomplete Information" : "", createdAt: end,
                                        updatedAt: PracticeGenerator.spread(
                                            end.adding(minutes: 30), after: min(end, historyEnd), before: historyEnd, rng: &rng),
                                        adjudicated: locked && end < historyEnd.adding(days: -7)))
                                practice.lineItems.insert(claim[claim.count - 1], id: nextLineItem)
                                nextLineItem += 1
                            }
                            // A signed visit's claim went out the next day; a week on, the
                            // insurer's answer (the ERA) is in.
                            if locked {
                                var billed = appointment
                                billed.lastBilledDate = end.adding(days: 1).dateString
                                billed.ins1Status =
                                    claim.contains(where: \.isDenied)
                                    ? "ERA Denied" : claim[0].adjudicated ? "Paid in Full" : "In Process Payer"
                                practice.insertAppointment(billed)
                            }
                        }
                    }
                    time = end
                }
            }
        }
    }

    /// `wanted`, or if that is past `before`, a random moment between `after` and `before`.
    static func spread(_ wanted: LocalDateTime, after: LocalDateTime, before: LocalDateTime, rng: inout SeededRandom) -> LocalDateTime {
        guard wanted > before else { return wanted }
        let span = before.secondsSinceEpoch - after.secondsSinceEpoch
        return span > 0 ? after.adding(seconds: rng.int(0...span)) : before
    }

    /// A status that fits the time of day: what a front desk would have set by now.
    static func status(start: LocalDateTime, end: LocalDateTime, now: LocalDateTime, rng: inout SeededRandom) -> String {
        if end <= now {
            let roll = rng.int(0..<100)
            return roll < 85 ? "Complete" : roll < 92 ? "No Show" : "Cancelled"
        }
        if start <= now { return rng.chance(0.7) ? "In Session" : "In Room" }
        if start.dayNumber == now.dayNumber && start <= now.adding(minutes: 30) {
            return rng.pick(["Arrived", "Checked In", "Confirmed"])
        }
        let roll = rng.int(0..<100)
        return roll < 45 ? "Confirmed" : roll < 75 ? "Not Confirmed" : roll < 97 ? "" : "Cancelled"
    }

    /// A generated document's page: what such a scan says, about this (invented) patient.
    static func documentPDF(_ kind: String, patient: PatientRecord, date: LocalDateTime) -> [UInt8] {
        let name = "\(patient.firstName) \(patient.lastName)"
        let body: [String] =
            switch kind {
            case "Intake form":
                ["Reason for visit: annual physical", "Current medications: see chart", "Allergies reviewed with patient"]
            case "Insurance card":
                ["Member ID on file; group number on file", "Copay: see the patient's card in chronoterm"]
            case "Outside lab report":
                ["Comprehensive metabolic panel", "Glucose 104 mg/dL (H)  reference 70-99", "Creatinine 0.9 mg/dL  reference 0.6-1.2"]
            default:
                ["The patient consents to examination and treatment.", "Signed at the front desk."]
            }
        return SandboxPDF.page(["\(kind) - \(name)", "Date: \(date.month)/\(date.day)/\(date.year)", ""] + body)
    }
}

private func zeroPadded(_ value: Int, width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

extension PracticeGenerator {
    /// Each doctor's working week (Monday to Friday, 8 to 12 and 1 to 5, as the schedule
    /// is filled), and the copays collected at the last month's visits. Worked out from
    /// ids, not drawn from the seeded stream, so the rest of the practice is as before.
    func generateFrontDesk(into practice: inout Practice, today: LocalDateTime, doctorOffice: [Int: Int]) {
        for doctor in practice.doctors.ids {
            let id = 700 + doctor - 100
            let hours = [("08:00", "12:00"), ("13:00", "17:00")]
            practice.workSchedules.insert(
                WorkScheduleRecord(
                    id: id, doctor: doctor, office: doctorOffice[doctor] ?? 1,
                    days: WorkScheduleRecord.weekdays.prefix(5).map { ($0, hours.map { (start: $0.0, end: $0.1) }) }),
                id: id)
        }
        let start = today.startOfDay.adding(days: -30)
        var nextId = 900_001
        for visitId in practice.appointmentIds(onDays: start.dayNumber...today.startOfDay.adding(days: -1).dayNumber) {
            guard let visit = practice.appointments[visitId], let patientId = visit.patient, visit.blocksTime, !visit.isBreak,
                let patient = practice.patients[patientId], let copay = patient.copay.flatMap(Double.init), copay > 0
            else { continue }
            let mix = (visit.id &* 2_654_435_761) & 0x7fff_ffff
            guard mix % 8 != 0 else { continue }  // one in eight left it for the bill
            let taken = visit.scheduledTime.adding(minutes: -5)
            practice.payments.insert(
                PaymentRecord(
                    id: nextId, patient: patientId, doctor: visit.doctor, appointment: visit.id, amount: copay,
                    method: ["CASH", "CRDT", "VISA", "DBIT", "CHCK"][mix % 5], transactionType: "COPAY",
                    receivedDate: taken.dateString, postedDate: taken.dateString, notes: "", traceNumber: "",
                    createdBy: practice.staff[mix % 2].username, createdAt: taken, updatedAt: taken),
                id: nextId)
            nextId += 1
        }
    }
}
