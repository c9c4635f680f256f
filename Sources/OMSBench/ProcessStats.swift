import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// CPU time and peak memory of a process, from Linux's /proc.
struct ProcessStats: Equatable {
    var cpuSeconds: Double
    var peakRSSBytes: Int

    /// Nil when the process is gone.
    static func of(_ pid: pid_t) -> ProcessStats? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return ProcessStats(cpuSeconds: cpuSeconds(stat: stat) ?? 0, peakRSSBytes: peakRSS(status: status) ?? 0)
    }

    /// utime + stime (fields 14 and 15, counted after the command name's
    /// closing parenthesis, which may itself contain spaces).
    static func cpuSeconds(stat: String) -> Double? {
        guard let end = stat.range(of: ")", options: .backwards) else { return nil }
        let fields = stat[end.upperBound...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmHWM: the resident set's high-water mark.
    static func peakRSS(status: String) -> Int? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }
}
