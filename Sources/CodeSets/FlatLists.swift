/// Many short lists of numbers in one array: list `i` is `values[starts[i]..<starts[i+1]]`.
///
/// The code list keeps a list of words per code and of codes per word — 75,000 and 7,500
/// lists. As Swift arrays each would be its own allocation with its own header; flat,
/// they cost four bytes a number and four a list.
struct FlatLists: Sendable {
    private let values: [Int32]
    private let starts: [Int32]

    init(_ lists: [[Int32]]) {
        var starts: [Int32] = [0]
        starts.reserveCapacity(lists.count + 1)
        for list in lists { starts.append(starts.last! + Int32(list.count)) }
        (self.values, self.starts) = (Array(lists.joined()), starts)
    }

    private init(values: [Int32], starts: [Int32]) { (self.values, self.starts) = (values, starts) }

    var count: Int { starts.count - 1 }

    subscript(index: Int) -> ArraySlice<Int32> { values[Int(starts[index])..<Int(starts[index + 1])] }

    /// The same lists with each number changed by `transform`.
    func mapped(_ transform: (Int32) -> Int32) -> FlatLists { FlatLists(values: values.map(transform), starts: starts) }

    /// Lists built one number at a time: `append` adds to the open list, `close` ends it.
    struct Builder {
        private var values: [Int32] = []
        private var starts: [Int32] = [0]

        mutating func append(_ value: Int32) { values.append(value) }

        mutating func close() { starts.append(Int32(values.count)) }

        func build() -> FlatLists { FlatLists(values: values, starts: starts) }
    }
}
