import Foundation

/// Reading a shop's JSON payload, where absent, `null` and `""` all mean "not given".
struct PayloadFields {
    let object: [String: Any]

    init(_ object: [String: Any]) {
        self.object = object
    }

    /// The top-level object of a body; nil when it is not a JSON object.
    init?(body: [UInt8]) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return nil }
        self.object = object
    }

    func text(_ key: String) -> String? {
        switch object[key] {
        case let text as String: text.isEmpty ? nil : text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    func nested(_ key: String) -> PayloadFields? {
        (object[key] as? [String: Any]).map(PayloadFields.init)
    }

    func list(_ key: String) -> [PayloadFields] {
        (object[key] as? [[String: Any]] ?? []).map(PayloadFields.init)
    }

    /// A whole number, from a JSON number or digits in a string.
    func integer(_ key: String) -> Int64? {
        text(key).flatMap { Int64($0) }
    }

    /// "First Last" from two name fields, when either is given.
    func fullName(first: String, last: String) -> String? {
        let name = [text(first), text(last)].compactMap { $0 }.joined(separator: " ")
        return name.isEmpty ? nil : name
    }
}
