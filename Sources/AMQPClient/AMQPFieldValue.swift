/// A value in an AMQP field table: message headers and declaration arguments.
public indirect enum AMQPFieldValue: Sendable, Equatable, Hashable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case timestamp(UInt64)
    case array([AMQPFieldValue])
    case table([String: AMQPFieldValue])
    case void

    public var string: String? {
        if case .string(let value) = self { return value }
        if case .bytes(let value) = self { return String(validating: value, as: UTF8.self) }
        return nil
    }

    public var int: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }

    public var array: [AMQPFieldValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var table: [String: AMQPFieldValue]? {
        if case .table(let value) = self { return value }
        return nil
    }
}

extension AMQPFieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

public typealias AMQPTable = [String: AMQPFieldValue]
