import Foundation

/// The routing rules file of the tests that route by stock: a London
/// location (the default) and a Berlin one, each with its sender address.
enum TwoLocations {
    static func routingRules(london: String, berlin: String, in documents: String) throws -> String {
        try FileManager.default.createDirectory(atPath: documents, withIntermediateDirectories: true)
        let rules = "\(documents)/routing-rules.json"
        try Data(#"""
            {"default_location": "\#(london)", "locations": {
              "\#(london)": {"country": "GB", "name": "oms London", "lines": ["1 Wharf Road"], "city": "London", "postal_code": "N1 7GR"},
              "\#(berlin)": {"country": "DE", "name": "oms Berlin", "lines": ["Lagerstrasse 5"], "city": "Berlin", "postal_code": "10115"}},
             "rules": []}
            """#.utf8).write(to: URL(fileURLWithPath: rules))
        return rules
    }
}
