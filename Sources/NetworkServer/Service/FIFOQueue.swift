/// A first-in, first-out queue on one array with a moving head.
///
/// Removing from the front of a plain array moves every element; here the head only advances, and the
/// consumed prefix is dropped once it dominates (or the buffer is simply emptied, keeping its capacity,
/// when the queue runs dry). Consumed slots are cleared at once so a taken element is not kept alive by
/// the queue.
struct FIFOQueue<Element> {
    private var slots: [Element?] = []
    private var head = 0

    var isEmpty: Bool { head == slots.count }
    var count: Int { slots.count - head }

    mutating func append(_ element: Element) {
        slots.append(element)
    }

    mutating func popFirst() -> Element? {
        guard head < slots.count else { return nil }
        let element = slots[head]
        slots[head] = nil
        head += 1
        if head == slots.count {
            slots.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 32, head * 2 >= slots.count {
            slots.removeFirst(head)
            head = 0
        }
        return element
    }
}
