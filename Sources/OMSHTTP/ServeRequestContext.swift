import Hummingbird

/// The context of every route: Hummingbird's, plus the client's address,
/// which the returns portal's rate limit counts by.
struct ServeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let clientAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
