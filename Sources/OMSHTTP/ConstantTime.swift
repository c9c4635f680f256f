/// Comparisons of secrets whose time does not depend on where they differ.
enum ConstantTime {
    /// True when equal; always looks at every byte of `given` (a length
    /// difference still costs a full pass), so timing tells nothing about a prefix.
    static func equal(_ given: some Collection<UInt8>, _ expected: some Collection<UInt8>) -> Bool {
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        let expected = Array(expected)
        guard !expected.isEmpty else { return false }
        for (index, byte) in given.enumerated() {
            difference |= byte ^ expected[index % expected.count]
        }
        return difference == 0
    }
}
