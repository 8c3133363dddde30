import Console
import DrChronoAPI

/// The columns of a visit's line items, fitted to the room beside the day's visits. A
/// narrow window drops the type first (most lines are CPT), then the modifiers when no
/// line has any, then narrows the diagnoses, then drops the standing (the claim's line
/// under the table still says it), so code, quantity and price always show whole.
enum LineItemColumn: CaseIterable {
    case code, type, modifiers, quantity, price, diagnoses, standing

    var title: String {
        switch self {
        case .code: "Code"
        case .type: "Type"
        case .modifiers: "Mods"
        case .quantity: "Qty"
        case .price: "Price"
        case .diagnoses: "Diagnoses"
        case .standing: "Standing"
        }
    }

    static func fitting(_ width: Int, items: [LineItem]) -> [(LineItemColumn, Int)] {
        var columns: [(LineItemColumn, Int)] = [
            (.code, 7), (.type, 6), (.modifiers, 8), (.quantity, 5), (.price, 11), (.diagnoses, 17), (.standing, 12),
        ]
        func used() -> Int { columns.reduce(0) { $0 + $1.1 + 1 } }
        if used() > width { columns.removeAll { $0.0 == .type } }
        if used() > width, !items.contains(where: { !$0.modifiers.isEmpty }) { columns.removeAll { $0.0 == .modifiers } }
        if used() > width, let index = columns.firstIndex(where: { $0.0 == .diagnoses }) {
            columns[index].1 = max(9, columns[index].1 - (used() - width))
        }
        if used() > width { columns.removeAll { $0.0 == .standing } }
        return columns
    }

    func value(_ item: LineItem) -> String {
        switch self {
        case .code: return item.code
        case .type: return ChargeForm.typeNames[item.procedureType] ?? item.procedureType
        case .modifiers: return item.modifiers.joined(separator: ",")
        case .quantity:
            // A quantity from DrChrono may be anything: a whole number as one, the rest as sent.
            let quantity = item.quantity
            return quantity.isFinite && abs(quantity) < 1e15 && quantity == quantity.rounded() ? String(Int(quantity)) : String(quantity)
        case .price: return BillingModel.money(item.priceCents)
        case .diagnoses: return item.diagnosisPointers.joined(separator: ", ")
        case .standing: return item.standing
        }
    }
}
