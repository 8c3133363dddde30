import Console
import DrChronoAPI
import Foundation
import GRDB
import Mirror

extension PracticeFixture {
    /// María López (100) had a glucose drawn on 3/1: high; her creatinine is in range; an
    /// outside A1c of 7.1 % entered in her chart on 3/2 is not signed off yet. Her 9:00
    /// visit today has a blood pressure of 150/95.
    public func addLabsAndVitals() throws {
        try mirror.pool.write { db in
            try MirrorWriter.store(
                [["id": 1, "patient": 100, "doctor": 1, "status": "F", "timestamp": "2026-03-01T08:00:00"]], as: .labOrders, in: db)
            try MirrorWriter.storeLabResults(
                [
                    [
                        "id": 11, "lab_order": "1", "test_performed": "Glucose", "value": "142.0", "unit": "mg/dL",
                        "normal_range": "70.0-99.0",
                        "abnormal_status": "H", "status": "F", "specimen_received": "2026-03-01T14:00:00",
                    ],
                    [
                        "id": 12, "lab_order": "1", "test_performed": "Creatinine", "value": "0.9", "unit": "mg/dL",
                        "normal_range": "0.6-1.2",
                        "abnormal_status": "", "status": "F", "specimen_received": "2026-03-01T14:00:00",
                    ],
                ], orders: [1], in: db)
            try MirrorWriter.store(
                [
                    [
                        "id": 885001, "patient": 100, "ordering_doctor": 1, "doctor_signoff": false, "title": "Hemoglobin A1c",
                        "lab_result_value": "7.1", "lab_result_value_units": "%", "lab_normal_range": "4.0-5.6", "lab_abnormal_flag": "H",
                        "date_test_performed": "2026-03-02T09:00:00", "created_at": "2026-03-02T09:00:00",
                        "updated_at": "2026-03-02T09:00:00",
                    ]
                ], as: .patientLabResults, in: db)
            try MirrorWriter.storeVitals(
                [
                    [
                        "id": "1001", "patient": 100, "scheduled_time": "2026-03-04T09:00:00",
                        "vitals": [
                            "blood_pressure_1": 150, "blood_pressure_2": 95, "pulse": 80, "temperature": .double(98.6),
                            "temperature_units": "f", "weight": 150, "weight_units": "lbs", "height": 65, "height_units": "inches",
                            "bmi": "25.0", "oxygen_saturation": 98, "respiratory_rate": 14, "pain": "0",
                        ],
                    ]
                ], in: db)
        }
    }

    /// A console for Dr. Patel (doctor 1), as a clinician opens it (patient search),
    /// typing stopped.
    public func clinicianSession(width: Int = 120, height: Int = 40) throws -> ConsoleSession {
        var model = ConsoleModel(role: .clinician, now: Self.now, clock: Date(timeIntervalSince1970: 1_772_636_400))
        model.schedule.preferredDoctors = [1]
        model.status.profile = "desk"
        model.status.user = "drpatel"
        model.folders = folders
        let session = try ConsoleSession(model: model, mirror: mirror, timeZone: Self.zone)
        session.resize(width: width, height: height)
        session.start()
        session.press(.escape)
        return session
    }

    /// The day's charges and payments beside the fixture's 99213: Dr. Okonkwo's physical
    /// ($200, $40 written off, $128 paid by the insurer) and María López's $25 copay;
    /// February's charge and payment, which a day's totals leave out.
    public func addDayOfBilling() throws {
        let items: [JSONObject] = [
            [
                "id": 7002, "appointment": "1003", "patient": 102, "code": "99396", "procedure_type": "C", "price": .double(200),
                "quantity": 1, "adjustment": .double(40), "ins1_paid": .double(128),
            ],
            [
                "id": 7003, "appointment": "990", "patient": 100, "code": "99213", "procedure_type": "C", "price": .double(110),
                "quantity": 1,
            ],
        ]
        let payments: [JSONObject] = [
            [
                "id": 1, "patient": 100, "appointment": "1001", "doctor": 1, "amount": "25.00", "payment_method": "CASH",
                "payment_transaction_type": "COPAY", "received_date": "2026-03-04", "posted_date": "2026-03-04",
            ],
            [
                "id": 2, "patient": 100, "appointment": "990", "doctor": 1, "amount": "10.00", "payment_method": "CASH",
                "payment_transaction_type": "COPAY", "received_date": "2026-02-02",
            ],
        ]
        try mirror.pool.write { db in
            try MirrorWriter.store(items, as: .lineItems, in: db)
            try MirrorWriter.store(payments, as: .patientPayments, in: db)
        }
    }
}
