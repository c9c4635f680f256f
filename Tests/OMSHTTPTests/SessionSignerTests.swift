import Foundation
@testable import OMSHTTP
import OMSDomain
import Testing

@Suite("dashboard sessions and forms")
struct SessionSignerTests {
    let signer = SessionSigner(password: "pw")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a session is valid until it expires, and only with the key that signed it")
    func sessions() {
        let session = signer.newSession(now: now)
        #expect(session.hasPrefix("1800043200."))
        #expect(signer.isValid(session, now: now))
        #expect(signer.isValid(session, now: now + SessionSigner.lifetime - 1))
        #expect(!signer.isValid(session, now: now + SessionSigner.lifetime))
        #expect(!SessionSigner(password: "other").isValid(session, now: now))
        #expect(!signer.isValid("1900000000." + session.split(separator: ".")[1], now: now))
        #expect(!signer.isValid(session + "A", now: now))
        #expect(!signer.isValid("garbage", now: now))
        #expect(!signer.isValid(nil, now: now))
    }

    @Test("a CSRF token verifies only with what it is bound to")
    func csrf() {
        let token = signer.csrfToken(boundTo: "session-a")
        #expect(signer.verifiesCSRF(token, boundTo: "session-a"))
        #expect(!signer.verifiesCSRF(token, boundTo: "session-b"))
        #expect(!signer.verifiesCSRF(nil, boundTo: "session-a"))
        #expect(!signer.verifiesCSRF(token, boundTo: nil))
        #expect(!signer.verifiesCSRF("", boundTo: ""))
        #expect(signer.matches(password: "pw", expected: "pw"))
        #expect(!signer.matches(password: "pw ", expected: "pw"))
    }

    @Test("form fields are percent- and plus-decoded, blanks are absent")
    func formFields() {
        let fields = FormFields(Array("sku=MUG-BLUE&note=two+words%21&empty=&csrf=a%2Bb%3D".utf8))
        #expect(fields["sku"] == "MUG-BLUE")
        #expect(fields["note"] == "two words!")
        #expect(fields["csrf"] == "a+b=")
        #expect(fields["empty"] == nil)
        #expect(fields["missing"] == nil)
    }

    @Test("text put into a script block cannot close it")
    func scriptText() {
        #expect(ScriptText.json("web") == #""web""#)
        #expect(ScriptText.json(nil) == "null")
        #expect(ScriptText.json("</script><b>&\"") == #""\u003c/script\u003e\u003cb\u003e\u0026\"""#)
    }

    @Test("a status event becomes the change the browser gets")
    func change() {
        var data = OrderEventData(orderID: "web-1", status: .cancelled, version: 3, channel: "web")
        data.previousStatus = .confirmed
        data.reason = "customer asked"
        let time = RFC3339.parse("2026-11-22T10:00:00Z")!
        let body = StatusEvent.order(data, stage: "capture", time: time, traceparent: nil).encoded()
        #expect(EventFeed.change(from: body) == EventFeed.Change(
            id: "web-1", status: "cancelled", from: "confirmed", channel: "web", version: 3,
            time: RFC3339.format(time), note: "customer asked"))
        #expect(EventFeed.change(from: Array("{}".utf8)) == nil)
        #expect(ServerSentEvents.frame(EventFeed.change(from: body)!).hasPrefix("event: order\ndata: {\"channel\":\"web\""))
    }
}
