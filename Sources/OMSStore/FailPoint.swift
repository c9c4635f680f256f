import Foundation

/// Named points where a test can make the process die at once
/// (`OMS_FAILPOINT=<name>`, SIGKILL, no cleanup): how the tests show that a
/// step interrupted there is repaired by the redelivery. Inert unless set.
enum FailPoint {
    private static let armed = ProcessInfo.processInfo.environment["OMS_FAILPOINT"]

    static func crash(at name: String) {
        if armed == name { kill(getpid(), SIGKILL) }
    }
}
