/// A value that writes its own JSON, byte for byte as JSONEncoder (sorted
/// keys, unescaped slashes, dates as `RFC3339.format`) would encode it, so
/// that hot paths need no JSONEncoder. Tests hold each to JSONEncoder.
protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// The JSON bytes.
    func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }
}
