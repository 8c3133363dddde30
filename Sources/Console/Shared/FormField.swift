/// A form's fields as a type of their own, in the order Tab visits them: a form says
/// `field == .price`, never `field == 4`.
public protocol FormField: CaseIterable, Equatable, Sendable where AllCases == [Self] {
    /// The field's label on the form.
    var title: String { get }
}

extension FormField {
    /// The field `step` places on, wrapping around (Tab: +1, Shift-Tab: -1).
    public func moved(by step: Int) -> Self {
        let all = Self.allCases
        return all[((all.firstIndex(of: self) ?? 0) + step + all.count) % all.count]
    }
}
