import Foundation
import Hummingbird
import ServiceLifecycle

/// `GET /events`: the feed's changes as Server-Sent Events (`event: order`,
/// `data:` the change as JSON). The stream ends when the client goes away
/// (the next write fails) or the server shuts down gracefully.
enum ServerSentEvents {
    static func response(_ feed: EventFeed) async -> Response {
        let changes = await feed.subscribe()
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-store"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
            for await change in changes.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: frame(change)))
            }
            try await writer.finish(nil)
        })
    }

    static func frame(_ change: EventFeed.Change) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(change)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "event: order\ndata: \(json)\n\n"
    }
}
