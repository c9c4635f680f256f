import Foundation

/// This checkout, for the tests that run its scripts.
public enum Checkout {
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `scripts/NAME` (services, tcp-relay, aiosmtpd-mailbox…).
    public static func script(_ name: String) -> String {
        root.appendingPathComponent("scripts/\(name)").path
    }
}
