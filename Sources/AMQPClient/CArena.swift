import CRabbitMQ
#if canImport(Glibc)
import Glibc
#endif

/// C copies of Swift values for the length of one rabbitmq-c call: strings,
/// byte arrays and field tables, all freed together by `release()`.
final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit { release() }

    func release() {
        for allocation in allocations { free(allocation) }
        allocations.removeAll()
    }

    func bytes(_ string: String) -> amqp_bytes_t {
        bytes(Array(string.utf8))
    }

    func bytes(_ array: [UInt8]) -> amqp_bytes_t {
        guard !array.isEmpty else { return amqp_empty_bytes }
        let memory = allocate(array.count)
        array.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: array.count) }
        return amqp_bytes_t(len: array.count, bytes: memory)
    }

    func table(_ fields: AMQPTable) -> amqp_table_t {
        guard !fields.isEmpty else { return amqp_empty_table }
        let entries = allocate(MemoryLayout<amqp_table_entry_t>.stride * fields.count)
            .bindMemory(to: amqp_table_entry_t.self, capacity: fields.count)
        for (index, key) in fields.keys.sorted().enumerated() {
            entries[index] = amqp_table_entry_t(key: bytes(key), value: value(fields[key]!))
        }
        return amqp_table_t(num_entries: Int32(fields.count), entries: entries)
    }

    private func array(_ values: [AMQPFieldValue]) -> amqp_array_t {
        guard !values.isEmpty else { return amqp_array_t(num_entries: 0, entries: nil) }
        let entries = allocate(MemoryLayout<amqp_field_value_t>.stride * values.count)
            .bindMemory(to: amqp_field_value_t.self, capacity: values.count)
        for (index, element) in values.enumerated() { entries[index] = value(element) }
        return amqp_array_t(num_entries: Int32(values.count), entries: entries)
    }

    private func value(_ field: AMQPFieldValue) -> amqp_field_value_t {
        var result = amqp_field_value_t()
        switch field {
        case .bool(let flag):
            result.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
            result.value.boolean = flag ? 1 : 0
        case .int(let number):
            result.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
            result.value.i64 = number
        case .double(let number):
            result.kind = UInt8(AMQP_FIELD_KIND_F64.rawValue)
            result.value.f64 = number
        case .string(let text):
            result.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
            result.value.bytes = bytes(text)
        case .bytes(let data):
            result.kind = UInt8(AMQP_FIELD_KIND_BYTES.rawValue)
            result.value.bytes = bytes(data)
        case .timestamp(let seconds):
            result.kind = UInt8(AMQP_FIELD_KIND_TIMESTAMP.rawValue)
            result.value.u64 = seconds
        case .array(let values):
            result.kind = UInt8(AMQP_FIELD_KIND_ARRAY.rawValue)
            result.value.array = array(values)
        case .table(let fields):
            result.kind = UInt8(AMQP_FIELD_KIND_TABLE.rawValue)
            result.value.table = table(fields)
        case .void:
            result.kind = UInt8(AMQP_FIELD_KIND_VOID.rawValue)
        }
        return result
    }

    private func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let memory = malloc(max(byteCount, 1))!
        allocations.append(memory)
        return memory
    }
}

/// Copies of what rabbitmq-c hands back, made before its pools are recycled.
enum CCopy {
    static func bytes(_ value: amqp_bytes_t) -> [UInt8] {
        guard value.len > 0, let pointer = value.bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: value.len))
    }

    static func string(_ value: amqp_bytes_t) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    static func table(_ table: amqp_table_t) -> AMQPTable {
        var fields: AMQPTable = [:]
        for index in 0..<Int(table.num_entries) {
            let entry = table.entries[index]
            fields[string(entry.key)] = value(entry.value)
        }
        return fields
    }

    static func value(_ field: amqp_field_value_t) -> AMQPFieldValue {
        switch UInt32(field.kind) {
        case AMQP_FIELD_KIND_BOOLEAN.rawValue: .bool(field.value.boolean != 0)
        case AMQP_FIELD_KIND_I8.rawValue: .int(Int64(field.value.i8))
        case AMQP_FIELD_KIND_U8.rawValue: .int(Int64(field.value.u8))
        case AMQP_FIELD_KIND_I16.rawValue: .int(Int64(field.value.i16))
        case AMQP_FIELD_KIND_U16.rawValue: .int(Int64(field.value.u16))
        case AMQP_FIELD_KIND_I32.rawValue: .int(Int64(field.value.i32))
        case AMQP_FIELD_KIND_U32.rawValue: .int(Int64(field.value.u32))
        case AMQP_FIELD_KIND_I64.rawValue: .int(field.value.i64)
        case AMQP_FIELD_KIND_U64.rawValue: .int(Int64(truncatingIfNeeded: field.value.u64))
        case AMQP_FIELD_KIND_F32.rawValue: .double(Double(field.value.f32))
        case AMQP_FIELD_KIND_F64.rawValue: .double(field.value.f64)
        case AMQP_FIELD_KIND_UTF8.rawValue: .string(string(field.value.bytes))
        case AMQP_FIELD_KIND_BYTES.rawValue: .bytes(bytes(field.value.bytes))
        case AMQP_FIELD_KIND_TIMESTAMP.rawValue: .timestamp(field.value.u64)
        case AMQP_FIELD_KIND_ARRAY.rawValue: .array(array(field.value.array))
        case AMQP_FIELD_KIND_TABLE.rawValue: .table(table(field.value.table))
        default: .void
        }
    }

    private static func array(_ array: amqp_array_t) -> [AMQPFieldValue] {
        (0..<Int(array.num_entries)).map { value(array.entries[$0]) }
    }
}
