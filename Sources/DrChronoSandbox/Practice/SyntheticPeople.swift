/// Names, places and codes for synthetic practices. Every person here is invented; the
/// lists carry what real US patient lists carry and what trips software up: accents,
/// apostrophes, hyphens, other scripts (including double-width ones), very long names,
/// and names shared between patients.
enum SyntheticPeople {
    static let firstNames = [
        "Maria", "José", "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "William", "Linda",
        "David", "Elizabeth", "Zoë", "Renée", "François", "Siobhán", "Björn", "Chloé", "Mary-Kate", "Jean-Luc",
        "Nguyễn", "Aaliyah", "DeShawn", "Priya", "Arjun", "Mohammed", "Fatima", "Wei", "Yuki", "Olga",
        "Dmitri", "Ana", "Luis", "Carmen", "Sofía", "Mateo", "Isabella", "Liam", "Noah", "Emma",
        "Olivia", "Ava", "Ethan", "Lucas", "Mia", "Harper", "Amelia", "Evelyn", "Abigail", "Emily",
        "Guðrún", "Søren", "Łukasz", "Żaneta", "Ǫrn", "Kwame", "Chidi", "Ngozi", "Tomás", "Inés",
        "明", "芳", "Алексей", "Светлана", "Hannah", "Grace", "Benjamin", "Samuel", "Daniel", "Henry",
    ]
    static let lastNames = [
        "López", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
        "Martinez", "Hernández", "O'Brien", "D'Angelo", "O'Neil", "Smith-Jones", "García-Márquez", "Nguyen", "Patel", "Kim",
        "Lee", "Chen", "Wang", "Singh", "Khan", "Cohen", "Müller", "Schröder", "Øster", "Ærøe",
        "van der Berg", "de la Cruz", "St. John", "MacDonald", "McAllister", "Okafor", "Adeyemi", "Ivanov", "Петров", "李",
        "王", "佐藤", "Wolfeschlegelsteinhausenbergerdorff", "Abernathy-Featherstonehaugh", "Washington", "Jefferson", "Thompson", "White",
        "Harris", "Clark",
        "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Ramírez",
    ]
    static let middleNames = ["", "", "", "A.", "Lee", "Marie", "J.", "Ann", "Ray", "Elizabeth", "Thị"]
    static let doctorFirstNames = [
        "Anika", "Marcus", "Elena", "Samuel", "Grace", "Rafael", "Mei", "Jonathan", "Leila", "Thomas", "Hana", "Oluwaseun",
    ]
    static let doctorLastNames = [
        "Patel", "Okonkwo", "Rossi", "Goldberg", "Kowalski", "Mendoza", "Tanaka", "Whitfield", "Haddad", "Brennan", "Kim", "Adebayo",
    ]
    static let specialties = ["Family Medicine", "Internal Medicine", "Pediatrics", "Cardiology", "Dermatology", "Endocrinology"]
    static let streets = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Washington Blvd", "Lakeview Rd", "Pine Ct"]
    static let cities: [(String, String, String)] = [
        ("Springfield", "IL", "627"), ("Riverside", "CA", "925"), ("Franklin", "TN", "370"), ("Greenville", "SC", "296"),
        ("Madison", "WI", "537"), ("Salem", "OR", "973"), ("Fairview", "NJ", "070"), ("Clinton", "MA", "015"),
    ]
    static let officeNames = [
        "Main Street Clinic", "Riverside Office", "Northgate Health Center", "Lakeview Clinic", "Eastside Office",
        "Westfield Clinic", "Hillcrest Office", "Harbor Health", "Parkside Clinic", "Southpoint Office",
    ]

    static let profiles: [(name: String, duration: Int, color: String, reason: String)] = [
        ("Follow-up", 15, "#4A90D9", "Follow-up visit"),
        ("Office Visit", 30, "#7ED321", "Office visit"),
        ("New Patient", 45, "#F5A623", "New patient visit"),
        ("Annual Physical", 60, "#9013FE", "Annual physical"),
        ("Telehealth", 15, "#50E3C2", "Telehealth visit"),
        ("Procedure", 30, "#D0021B", "In-office procedure"),
    ]

    /// (code, description, price) — real-format CPT codes.
    static let cptCodes: [(String, String, Double)] = [
        ("99213", "Office/outpatient visit, established, low", 110), ("99214", "Office/outpatient visit, established, moderate", 165),
        ("99203", "Office/outpatient visit, new, low", 150), ("99204", "Office/outpatient visit, new, moderate", 230),
        ("99396", "Preventive visit, established, 40-64", 220), ("36415", "Routine venipuncture", 12),
        ("85025", "Complete blood count with differential", 28), ("80053", "Comprehensive metabolic panel", 35),
        ("93000", "Electrocardiogram, complete", 55), ("90471", "Immunization administration", 25),
        ("90686", "Influenza vaccine, quadrivalent", 32), ("11102", "Tangential biopsy of skin", 140),
    ]
    /// Real-format HCPCS Level II codes.
    static let hcpcsCodes: [(String, String, Double)] = [
        ("G0439", "Annual wellness visit, subsequent", 175), ("J1885", "Ketorolac tromethamine injection", 9),
        ("A4550", "Surgical trays", 18), ("G0008", "Administration of influenza vaccine", 25),
    ]
    /// (code, description) — real-format ICD-10-CM codes.
    static let icd10: [(String, String)] = [
        ("Z00.00", "Encounter for general adult medical examination"), ("I10", "Essential (primary) hypertension"),
        ("E11.9", "Type 2 diabetes mellitus without complications"), ("J06.9", "Acute upper respiratory infection"),
        ("M54.50", "Low back pain, unspecified"), ("E78.5", "Hyperlipidemia, unspecified"),
        ("F41.1", "Generalized anxiety disorder"), ("K21.9", "Gastro-esophageal reflux disease"),
        ("J45.909", "Unspecified asthma, uncomplicated"), ("R51.9", "Headache, unspecified"),
        ("L70.0", "Acne vulgaris"), ("Z23", "Encounter for immunization"),
    ]
    static let medications: [(name: String, rxnorm: String, dose: String, units: String, frequency: String)] = [
        ("Lisinopril 10 mg tablet", "314076", "1", "tablet", "once daily"),
        ("Metformin 500 mg tablet", "861007", "1", "tablet", "twice daily"),
        ("Atorvastatin 20 mg tablet", "617311", "1", "tablet", "at bedtime"),
        ("Albuterol HFA 90 mcg inhaler", "745679", "2", "puffs", "every 4 hours as needed"),
        ("Sertraline 50 mg tablet", "312940", "1", "tablet", "once daily"),
        ("Omeprazole 20 mg capsule", "198053", "1", "capsule", "before breakfast"),
        ("Amlodipine 5 mg tablet", "197361", "1", "tablet", "once daily"),
        ("Levothyroxine 50 mcg tablet", "966222", "1", "tablet", "every morning"),
    ]
    static let allergies: [(String, String)] = [
        ("Penicillin", "Hives"), ("Peanuts", "Anaphylaxis"), ("Sulfa drugs", "Rash"), ("Latex", "Contact dermatitis"),
        ("Shellfish", "Swelling of lips"), ("Codeine", "Nausea"), ("Bee stings", "Swelling"), ("Aspirin", "Wheezing"),
    ]
    static let complaints = [
        "Follow-up of blood pressure", "Cough for five days", "Annual physical", "Low back pain after lifting",
        "Medication refill", "Headaches, worse in the morning", "Rash on both forearms", "Fatigue and poor sleep",
        "Diabetes check, reviewing home glucose log", "Sore throat and fever", "Anxiety, follow-up on therapy",
    ]
    static let plans = [
        "Continue current medication. Recheck in 3 months.", "Labs ordered: CBC, CMP. Call with results.",
        "Start physical therapy twice weekly. Ice and NSAIDs as needed.", "Increase dose; home readings twice daily.",
        "Supportive care, fluids, rest. Return if not improving in 7 days.", "Referral to dermatology. Topical steroid.",
        "Flu vaccine given today. Follow up at the annual visit.",
    ]

    /// A code's description, for line items created without one.
    static func description(of code: String) -> String {
        (cptCodes + hcpcsCodes).first { $0.0 == code }?.1 ?? ""
    }
}
