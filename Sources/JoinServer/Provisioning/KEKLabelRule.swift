/// What a KEK label may be: short printable ASCII, since it is shown in errors and audit details.
enum KEKLabelRule {
    static let maximumLength = 64

    static func isValid(_ label: String) -> Bool {
        let bytes = Array(label.utf8)
        return (1...maximumLength).contains(bytes.count) && bytes.allSatisfy { (0x20...0x7E).contains($0) }
            && bytes.first != 0x20 && bytes.last != 0x20
    }
}
