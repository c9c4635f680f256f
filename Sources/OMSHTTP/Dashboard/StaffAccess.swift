import Foundation
import Hummingbird

/// Who may use the dashboard: a signed session cookie, and on every form a
/// CSRF token bound to it. Cookies are HttpOnly and SameSite=Strict.
struct StaffAccess: Sendable {
    static let sessionCookie = "oms_session"
    static let signInCookie = "oms_signin"

    /// Nil when `OMS_ADMIN_PASSWORD` is not set: nobody can sign in.
    let signer: SessionSigner?
    let password: String?

    init(password: String?) {
        self.password = password
        signer = password.map(SessionSigner.init(password:))
    }

    /// The request's session cookie, when it is valid.
    func session(_ request: Request, now: Date = Date()) -> String? {
        let session = request.cookies[Self.sessionCookie]?.value
        return signer?.isValid(session, now: now) == true ? session : nil
    }

    /// A staff page: the browser is sent to sign in when there is no session.
    func page(_ request: Request, _ render: (_ session: String) async throws -> Response) async throws -> Response {
        guard let session = session(request) else { return .redirect(to: "/signin") }
        return try await render(session)
    }

    /// A staff form: 401 without a session, 403 without the CSRF token bound to it.
    func form(_ request: Request, limit: Int,
              _ handle: (_ fields: FormFields, _ session: String) async throws -> Response) async throws -> Response {
        guard let session = session(request), let signer else { return Self.refusal(.unauthorized, "sign in first") }
        let fields = FormFields(try await request.bodyBytes(upTo: limit))
        guard signer.verifiesCSRF(fields["csrf"], boundTo: session) else {
            return Self.refusal(.forbidden, "this form has no valid CSRF token; reload the page and try again")
        }
        return try await handle(fields, session)
    }

    func csrf(_ session: String) -> String {
        signer?.csrfToken(boundTo: session) ?? ""
    }

    static func cookie(_ name: String, _ value: String, path: String = "/", maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, httpOnly: true, sameSite: .strict)
    }

    static func refusal(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}

/// Text for a `<script>` block: a JSON string literal in which `<`, `>` and
/// `&` are escaped, so nothing typed into a filter can close the script.
enum ScriptText {
    static func json(_ text: String?) -> String {
        guard let text else { return "null" }
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast()).replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e").replacingOccurrences(of: "&", with: "\\u0026")
    }
}
