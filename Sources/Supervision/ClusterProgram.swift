/// What the supervisor runs for a name in a cluster's scale: the worker
/// `oms-STAGE` for a stage, `oms serve` (the HTTP server) for `serve`.
public struct ClusterProgram: Sendable, Equatable {
    public var executable: String
    public var arguments: [String]
    /// Whether the program touches the liveness file it is given
    /// (`OMS_LIVENESS_FILE`): the workers do; the server, which holds no
    /// deliveries, is replaced only when it exits.
    public var touchesLivenessFile: Bool

    /// The HTTP server's name in a scale.
    public static let server = "serve"

    public init(_ name: String, binDirectory: String) {
        if name == Self.server {
            executable = "\(binDirectory)/oms"
            arguments = ["serve"]
            touchesLivenessFile = false
        } else {
            executable = "\(binDirectory)/oms-\(name)"
            arguments = []
            touchesLivenessFile = true
        }
    }

    /// Whether the program consumes a queue `oms.NAME`: the workers do, the server does not.
    public static func hasQueue(_ name: String) -> Bool {
        name != server
    }
}
