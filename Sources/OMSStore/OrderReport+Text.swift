import Foundation

/// How `oms report` and the dashboard write the report's figures.
extension OrderReport {
    /// "12.5 %"; "-" when there is no rate.
    public static func percent(_ rate: Double?) -> String {
        rate.map { String(format: "%.1f %%", $0 * 100) } ?? "-"
    }

    /// "850 ms", "12.4 s", "5 min 03 s", "2 h 05 min", "3 d 04 h".
    public static func duration(_ milliseconds: Int) -> String {
        let seconds = milliseconds / 1000
        switch milliseconds {
        case ..<1_000: return "\(milliseconds) ms"
        case ..<60_000: return String(format: "%.1f s", Double(milliseconds) / 1000)
        case ..<3_600_000: return String(format: "%d min %02d s", seconds / 60, seconds % 60)
        case ..<86_400_000: return String(format: "%d h %02d min", seconds / 3600, seconds % 3600 / 60)
        default: return String(format: "%d d %02d h", seconds / 86_400, seconds % 86_400 / 3600)
        }
    }
}
