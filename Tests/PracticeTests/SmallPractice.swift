import DrChronoAPI
import Foundation
import GRDB
import Mirror

/// Dr. Patel at Main Street Clinic (8 am–5 pm, Exam 1 and Exam 2), in a fresh mirror of
/// its own: Maria López booked Thursday 5 March at 10:30 in Exam 2, and whatever patients
/// and visits a test adds.
enum SmallPractice {
    static func mirror(patients: [JSONObject] = [], visits: [JSONObject] = []) throws -> MirrorDatabase {
        let mirror = try MirrorDatabase.open(
            at: FileManager.default.temporaryDirectory.appendingPathComponent("practice-\(UUID().uuidString).sqlite").path)
        try mirror.pool.write { db in
            try MirrorWriter.store([["id": 101, "first_name": "Anika", "last_name": "Patel"]], as: .doctors, in: db)
            try MirrorWriter.store(
                [
                    [
                        "id": 1, "name": "Main Street Clinic", "start_time": "08:00:00", "end_time": "17:00:00",
                        "exam_rooms": [["index": 1, "name": "Exam 1"], ["index": 2, "name": "Exam 2"]],
                    ]
                ], as: .offices, in: db)
            try MirrorWriter.store(
                [
                    ["id": 10001, "first_name": "Maria", "last_name": "López", "date_of_birth": "1985-05-17"],
                    ["id": 10002, "first_name": "Bo", "last_name": "Lee", "date_of_birth": "1990-01-02"],
                ] + patients, as: .patients, in: db)
            try MirrorWriter.store(
                [
                    [
                        "id": "500", "doctor": 101, "office": 1, "exam_room": 2, "patient": 10001,
                        "scheduled_time": "2026-03-05T10:30:00", "duration": 30, "status": "",
                    ]
                ] + visits, as: .appointments, in: db)
        }
        return mirror
    }
}
