import Hummingbird
import Mustache

/// The dashboard's and the portal's HTML, from the mustache templates in
/// `Templates/` (embedded in the binary). `{{…}}` escapes HTML, so text from
/// orders (a customer named `<script>`) is shown, never run.
struct Pages: Sendable {
    private let library: MustacheLibrary

    /// SwiftPM names each embedded file after its name, so every file is listed.
    private static let templates: [String: [UInt8]] = [
        "layout": PackageResources.layout_mustache,
        "signin": PackageResources.signin_mustache,
        "orders": PackageResources.orders_mustache,
        "order": PackageResources.order_mustache,
        "stock": PackageResources.stock_mustache,
        "dead-letters": PackageResources.dead_letters_mustache,
        "dead-letter": PackageResources.dead_letter_mustache,
        "report": PackageResources.report_mustache,
        "returns": PackageResources.returns_mustache,
        "returns-lines": PackageResources.returns_lines_mustache,
        "returns-done": PackageResources.returns_done_mustache,
    ]

    init() throws {
        var library = MustacheLibrary()
        for (name, bytes) in Self.templates {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        self.library = library
    }

    func render(_ name: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(context, withTemplate: name) ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
