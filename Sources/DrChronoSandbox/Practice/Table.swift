/// Rows of one resource by id, with the ids kept in ascending order for cursor paging.
struct Table<Record: Sendable>: Sendable {
    private(set) var rows: [Int: Record] = [:]
    /// Ascending. New ids are always larger than old ones, so inserting is an append.
    private(set) var ids: [Int] = []

    var count: Int { rows.count }
    var lastId: Int { ids.last ?? 0 }

    subscript(id: Int) -> Record? { rows[id] }

    mutating func insert(_ record: Record, id: Int) {
        if rows.updateValue(record, forKey: id) == nil {
            if let last = ids.last, last > id {
                ids.insert(id, at: ids.partitioningIndex { $0 >= id })
            } else {
                ids.append(id)
            }
        }
    }

    @discardableResult
    mutating func update(_ id: Int, _ change: (inout Record) -> Void) -> Record? {
        guard var record = rows[id] else { return nil }
        change(&record)
        rows[id] = record
        return record
    }

    /// Rows in id order, starting after `afterId`.
    func rows(after afterId: Int?) -> some Sequence<Record> {
        let start = afterId.map { id in ids.partitioningIndex { $0 > id } } ?? 0
        return ids[start...].lazy.compactMap { rows[$0] }
    }

    var all: some Sequence<Record> { ids.lazy.compactMap { rows[$0] } }
}

extension RandomAccessCollection {
    /// The first index whose element satisfies `predicate`, for a collection partitioned
    /// so that every element failing it comes first (binary search).
    func partitioningIndex(where predicate: (Element) -> Bool) -> Index {
        var low = startIndex
        var n = count
        while n > 0 {
            let half = n / 2
            let mid = index(low, offsetBy: half)
            if predicate(self[mid]) { n = half } else { low = index(after: mid); n -= half + 1 }
        }
        return low
    }
}

extension Table {
    /// Removes a row outright; returns whether it was there.
    mutating func remove(_ id: Int) -> Bool {
        guard rows.removeValue(forKey: id) != nil else { return false }
        let index = ids.partitioningIndex { $0 >= id }
        if index < ids.count, ids[index] == id { ids.remove(at: index) }
        return true
    }
}
