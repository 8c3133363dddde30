import Console
import ConsoleTestSupport
import DrChronoAPI
import Foundation
import Mirror
import Testing

/// The biller's keys: corrections, claims, lookups, profiles, the visit's claim and the day's totals.
extension PaneKeysTests {
    @Test("billing: correcting a charge's code prices it from the fee schedule, unless the biller typed a price")
    func correctionRepricesFromTheSchedule() throws {
        let fixture = try PracticeFixture()
        try fixture.mirror.pool.write { db in
            try MirrorWriter.store(
                [
                    ["id": 1, "doctor": 1, "code": "99214", "payer_id": "", "base_price": 165, "insured_price": 165],
                    ["id": 2, "doctor": 1, "code": "99212", "payer_id": "", "base_price": 80, "insured_price": 80],
                ], as: .feeSchedules, in: db)
        }
        let session = try fixture.session(role: .billing)
        session.press(.character("e"))
        session.press(.control("u"))
        session.type("99214")
        guard case .charge(let repriced) = session.model.overlay else { Issue.record("no correction form"); return }
        #expect(repriced.price.text == "165.00", "99213 → 99214 is priced as 99214")
        for _ in 0..<4 { session.press(.tab) }  // the price, typed by the biller
        session.press(.control("u"))
        session.type("150")
        for _ in 0..<4 { session.press(.backTab) }
        session.press(.control("u"))
        session.type("99212")
        guard case .charge(let typed) = session.model.overlay else { Issue.record("the form closed"); return }
        #expect(typed.price.text == "150", "a price the biller typed stays")
    }

    @Test("billing: e corrects a line item in its form (only what changed is queued); v asks, then voids it")
    func fixAndVoidLineItem() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session(role: .billing)
        #expect(session.model.billing.selectedVisit?.id == "1001")
        session.press(.character("e"))
        guard case .charge(let form) = session.model.overlay else { Issue.record("no correction form"); return }
        #expect(form.fixing == 7001 && form.code.text == "99213" && form.price.text == "125.00" && form.diagnoses.text == "I10")
        for _ in 0..<4 { session.press(.tab) }  // the price
        session.press(.control("u"))
        session.type("140")
        session.press(.enter)
        let fixed = try #require(try fixture.outbox().first)
        #expect(fixed.kind == .lineItemUpdate && fixed.write.lineItem == 7001)
        #expect(fixed.write.fields.string("price") == "140.00" && fixed.write.fields["code"] == nil, "only the price changed")
        #expect(session.model.message?.text == "Corrected to 99213 ($140.00) for López, María — queued for DrChrono.")
        #expect(session.model.billing.lineItems.first?.priceCents == 14000, "shown at once")

        session.press(.character("v"))
        guard case .confirmVoid = session.model.overlay else { Issue.record("no question before voiding"); return }
        session.press(.character("n"))
        #expect(try fixture.outbox().count == 1, "kept")
        session.press(.character("v"))
        session.press(.character("y"))
        #expect(try fixture.outbox().last?.kind == .lineItemDelete)
        #expect(session.model.billing.lineItems.isEmpty, "gone from the bill at once")
    }

    @Test("billing: B sets the claim's status (shown on the visit at once); M writes a note on the claim")
    func claimStatusAndNote() throws {
        let fixture = try PracticeFixture()
        let session = try fixture.session(role: .billing)
        session.press(.character("B"))
        guard case .billingStatusPicker = session.model.overlay else { Issue.record("no status picker"); return }
        session.press(.enter)  // Bill Insurance, the first
        #expect(try fixture.outbox().first?.kind == .appointmentBillingStatus)
        #expect(session.model.billing.billingStatuses["1001"] == "Bill Insurance")
        #expect(session.model.message?.text == "López, María: Bill Insurance — queued for DrChrono.")
        session.press(.character("M"))
        session.type("Called payer, resubmitting")
        session.press(.enter)
        let note = try #require(try fixture.outbox().last)
        #expect(note.kind == .claimNoteCreate && note.write.fields.string("text")?.hasPrefix("Called payer, resubmitting [ct:") == true)
    }

    @Test(
        "billing: a code typed fills its price from the fee schedule — the payer's agreed price where there is one — until a price is typed"
    )
    func priceFromFeeSchedule() throws {
        let fixture = try PracticeFixture()
        try fixture.mirror.pool.write { db in
            try MirrorWriter.store(
                [
                    ["id": 1, "doctor": 1, "code": "99214", "payer_id": "", "base_price": 165, "insured_price": 165],
                    ["id": 2, "doctor": 1, "code": "99214", "payer_id": "SBX04", "base_price": 165, "insured_price": 132],
                    ["id": 3, "doctor": 1, "code": "93000", "payer_id": "", "base_price": 55, "insured_price": 55],
                    ["id": 4, "doctor": 2, "code": "99214", "payer_id": "", "base_price": 999, "insured_price": 999],
                ], as: .feeSchedules, in: db)
            try db.execute(
                sql:
                    "UPDATE patients SET raw = json_set(raw, '$.primary_insurance', json('{\"insurance_payer_id\": \"SBX04\"}')) WHERE id = 100"
            )
        }
        let session = try fixture.session(role: .billing)  // María López's visit with Dr. Patel (doctor 1)
        session.press(.character("a"))
        session.type("99214")
        guard case .charge(let medicare) = session.model.overlay else { Issue.record("no form"); return }
        #expect(medicare.price.text == "132.00" && medicare.priceFromSchedule, "the payer's agreed price")
        for _ in 0..<5 { session.press(.backspace) }
        session.type("93000")
        guard case .charge(let base) = session.model.overlay else { Issue.record("no form"); return }
        #expect(base.price.text == "55.00", "no payer price for this code: the base price")
        for _ in 0..<4 { session.press(.tab) }
        session.press(.control("u"))
        session.type("60")
        for _ in 0..<2 { session.press(.backTab) }
        session.press(.backTab)
        session.press(.backTab)
        session.press(.backspace)
        session.type("0")
        guard case .charge(let typed) = session.model.overlay else { Issue.record("no form"); return }
        #expect(typed.price.text == "60" && !typed.priceFromSchedule, "a price typed is kept")
    }

    @Test("billing: the practice's own code descriptions; diagnosis words list ICD-10-CM codes, Enter puts one in")
    func diagnosisLookup() throws {
        let fixture = try PracticeFixture()
        try fixture.mirror.pool.write { db in
            try MirrorWriter.store(
                [
                    [
                        "id": 1, "doctor": 1, "code": "99214", "payer_id": "", "base_price": 165, "insured_price": 165,
                        "description": "Office visit, established, moderate",
                    ]
                ], as: .feeSchedules, in: db)
        }
        let session = try fixture.session(role: .billing)
        session.press(.character("a"))
        session.type("99214")
        guard case .charge(let coded) = session.model.overlay else { Issue.record("no form"); return }
        #expect(coded.codeDescription == "Office visit, established, moderate")
        for _ in 0..<5 { session.press(.tab) }
        session.type("essential hypertension")
        guard case .charge(let listing) = session.model.overlay else { Issue.record("no form"); return }
        #expect(listing.lookup.matches.first?.code == "I10", "the general code first")
        #expect(listing.lookup.edition.hasPrefix("ICD-10-CM 2026"))
        session.press(.enter)
        guard case .charge(let picked) = session.model.overlay else { Issue.record("Enter on a code must not submit"); return }
        #expect(picked.diagnoses.text == "I10")
        #expect(picked.lookup.typed.map(\.known?.description) == ["Essential (primary) hypertension"])
        session.type(", type 2 diab without compl")
        session.press(.down)
        session.press(.up)
        session.press(.enter)
        guard case .charge(let two) = session.model.overlay else { Issue.record("no form"); return }
        #expect(two.diagnoses.text == "I10, E11.9")
        session.type(", Q99.99")
        guard case .charge(let unknown) = session.model.overlay else { Issue.record("no form"); return }
        #expect(unknown.lookup.typed.last?.code == "Q99.99" && unknown.lookup.typed.last?.known == nil, "named as not a code")
        session.type(", hypert")
        session.press(.escape)
        guard case .charge(let hidden) = session.model.overlay else { Issue.record("Esc closes the list first"); return }
        #expect(!hidden.lookup.isListing)
        session.press(.escape)
        #expect(session.model.overlay == nil, "then the form")
    }

    @Test("billing: L adds a billing profile's charges with its diagnoses, each priced from the fee schedule, in one go")
    func applyBillingProfile() throws {
        let fixture = try PracticeFixture()
        try fixture.mirror.pool.write { db in
            try MirrorWriter.store(
                [
                    ["id": 1, "doctor": 1, "code": "99214", "payer_id": "", "base_price": 165, "insured_price": 165],
                    ["id": 2, "doctor": 1, "code": "93000", "payer_id": "", "base_price": 55, "insured_price": 55],
                ], as: .feeSchedules, in: db)
            try MirrorWriter.store(
                [
                    [
                        "id": 9, "name": "Hypertension check", "archived": false, "cpt_codes": [["code": "99214"], ["code": "93000"]],
                        "hcpcs_codes": [], "icd10_codes": ["I10"],
                    ]
                ], as: .billingProfiles, in: db)
        }
        let session = try fixture.session(role: .billing)
        session.press(.character("L"))
        guard case .profilePicker = session.model.overlay else { Issue.record("no profile picker"); return }
        // The visit already has 99213: the profile's 99214 beside it is said, not added.
        session.press(.enter)
        #expect(try fixture.outbox().isEmpty)
        #expect(session.model.message?.text.hasPrefix("99213 is already charged; the profile adds 99214.") == true)
        session.press(.enter)
        let queued = try fixture.outbox()
        #expect(queued.map(\.kind) == [.lineItemCreate, .lineItemCreate])
        #expect(queued.map { $0.write.fields.string("code") } == ["99214", "93000"])
        #expect(queued.map { $0.write.fields.string("price") } == ["165.00", "55.00"])
        #expect(queued.allSatisfy { $0.write.fields.strings("diagnosis_pointers") == ["I10"] })
        #expect(session.model.message?.text == "Added Hypertension check for López, María: 99214, 93000, $220.00 — queued for DrChrono.")
    }

    @Test("billing: the visit's claim in a line — paid, owed by the payer and the patient, denied lines — and the patient's whole balance")
    func claimAccount() throws {
        let fixture = try PracticeFixture()
        let items: [JSONObject] = [
            [
                "id": 7001, "appointment": "1001", "patient": 100, "code": "99213", "procedure_type": "C", "price": .double(125),
                "quantity": 1,
                "paid_total": "25.00", "balance_total": "100.00", "balance_ins": 80, "balance_pt": 20, "denied_flag": false,
            ],
            [
                "id": 7002, "appointment": "1001", "patient": 100, "code": "93000", "procedure_type": "C", "price": .double(55),
                "quantity": 1,
                "paid_total": "0.00", "balance_total": "55.00", "balance_ins": 0, "balance_pt": 55, "denied_flag": true,
            ],
            [
                "id": 7003, "appointment": "990", "patient": 100, "code": "99213", "procedure_type": "C", "price": .double(110),
                "quantity": 1,
                "paid_total": "110.00", "balance_total": "10.00",
            ],
        ]
        try fixture.mirror.pool.write { db in try MirrorWriter.store(items, as: .lineItems, in: db) }
        let session = try fixture.session(role: .billing)
        #expect(
            session.model.billing.accountLine
                == "Paid $25.00 · owed $155.00 (insurance $80.00, patient $75.00) · 1 DENIED · patient's balance $165.00")
        #expect(session.model.billing.lineItems.map(\.standing) == ["part paid", "DENIED"], "each line's standing")
    }

    @Test("billing: T shows the day's charges, adjustments and payments per doctor, with sums that add up")
    func dayTotals() throws {
        let fixture = try PracticeFixture()
        try fixture.addDayOfBilling()
        let session = try fixture.session(role: .billing)
        session.press(.character("T"))
        guard case .dayTotals(let list) = session.model.overlay else { Issue.record("no totals"); return }
        let rows = Dictionary(uniqueKeysWithValues: list.rows.map { ($0.doctor, $0) })
        // 3/4: Dr. Patel's 99213 ($125, the fixture's) and the $25 copay; Dr. 2's physical.
        #expect(rows["Dr. Patel"]?.chargedCents == 12500 && rows["Dr. Patel"]?.paymentCents == 2500)
        let other = try #require(list.rows.first { $0.doctor != "Dr. Patel" })
        #expect(other.chargedCents == 20000 && other.adjustmentCents == 4000 && other.insurancePaidCents == 12800)
        let day = MirrorQueries.sum(list.rows)
        #expect(day.charges == 2 && day.chargedCents == 32500 && day.paymentCents == 2500, "February's charge and payment left out")
        #expect(day.netCents == 32500 - 4000 - 12800 - 2500)
        #expect(list.lines.last?.text.hasPrefix("Day total") == true)
        #expect(list.lines.last?.text.contains("$325.00") == true)
        session.press(.character("x"))
        #expect(session.model.overlay == nil)
    }
}
