import Foundation

enum ReportTestData {
    /// 2026-11-22T10:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_795_341_600)
}
