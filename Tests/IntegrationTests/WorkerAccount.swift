import Foundation

/// The workers' own account, which `scripts/services` makes on every
/// RabbitMQ and Redis it starts: oms.* names and oms:* keys only, none of
/// the commands that flush or reconfigure. Tests run workers with it, so
/// each pipeline test also shows that the workers need no more.
enum WorkerAccount {
    static let user = "oms-worker"
    static let password = "oms-worker"

    /// Each URL of a comma-separated list, signed in as the workers' account
    /// instead of whoever it named.
    static func signedIn(_ urls: String) -> String {
        urls.split(separator: ",").map { url in
            guard var parts = URLComponents(string: String(url)) else { return String(url) }
            parts.user = user
            parts.password = password
            return parts.string ?? String(url)
        }.joined(separator: ",")
    }
}
