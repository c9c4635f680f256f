import Notifications
import OMSDomain
import OMSStore
import SMTPClient
@testable import Stages
import Testing
import WorkerRuntime

@Suite("Notify: one email per order and event")
struct NotifyTests {
    let orders = FakeOrderRecords()
    let composer = EmailComposer(templates: try! EmailTemplates(),
                                 settings: try! NotificationSettings(from: Mailbox(address: "shop@example.com")))

    func notify(_ mailer: FakeMailer) -> NotifyHandler {
        NotifyHandler(composer: composer, mailer: mailer, orders: orders)
    }

    func event(_ status: OrderStatus) throws -> IncomingMessage {
        Fixture.handoff(try Fixture.order(), status, version: 2)
    }

    @Test("a confirmed order's email is sent once; its marker holds the Message-ID and it is counted")
    func sentOnce() async throws {
        let mailer = FakeMailer()
        let outcome = await notify(mailer).handle(try event(.confirmed), context: Fixture.context(.notify))
        #expect(outcome == .done([]))
        let sent = await mailer.sent
        #expect(sent.map(\.eventType) == ["order.confirmed"])
        #expect(sent.first?.recipients == ["ada@example.com"])
        let marker = Effect.email("order.confirmed")
        #expect(await orders.effects["t-1001"]?[marker] == sent.first?.messageID)
        #expect(await orders.tallied["t-1001"] == ["email:order.confirmed"])
        #expect(await !orders.isLeased(orderID: "t-1001", effect: marker))
    }

    @Test("the same event again finds the marker and sends no second email")
    func alreadySent() async throws {
        let mailer = FakeMailer()
        _ = await notify(mailer).handle(try event(.confirmed), context: Fixture.context(.notify))
        let again = await notify(mailer).handle(try event(.confirmed), context: Fixture.context(.notify))
        #expect(again == .done([]))
        #expect(await mailer.sent.count == 1)
    }

    @Test("a copy delivered while another sends waits for it (retry)")
    func leaseHeld() async throws {
        await orders.takeLease(orderID: "t-1001", effect: Effect.email("order.confirmed"))
        let mailer = FakeMailer()
        let outcome = await notify(mailer).handle(try event(.confirmed), context: Fixture.context(.notify))
        #expect(outcome == .retry(reason: "another delivery of this event is sending its email"))
        #expect(await mailer.sent.isEmpty)
    }

    @Test("an event that emails no one is done with nothing sent")
    func noEmail() async throws {
        let mailer = FakeMailer()
        #expect(await notify(mailer).handle(try event(.paid), context: Fixture.context(.notify)) == .done([]))
        #expect(await mailer.sent.isEmpty)
    }

    @Test("an event that cannot be read is dead-lettered, and nothing is stored")
    func badEvent() async {
        let outcome = await notify(FakeMailer()).handle(
            IncomingMessage(routingKey: "order.confirmed", body: Array("{}".utf8)), context: Fixture.context(.notify))
        #expect(outcome.deadLetterReason?.hasPrefix("cannot email this event:") == true)
        #expect(await orders.effects.isEmpty)
    }

    @Test("a 5xx for this email is dead-lettered and the lease let go; a 4xx is retried")
    func serverSaysNo() async throws {
        let rejected = SMTPError(.rejected, "550 no such user", replyCode: 550, operation: "send")
        let outcome = await notify(FakeMailer(failure: rejected)).handle(try event(.confirmed),
                                                                          context: Fixture.context(.notify))
        #expect(outcome == .deadLetter(reason: "the mail server refused the email: \(rejected)"))
        #expect(await !orders.isLeased(orderID: "t-1001", effect: Effect.email("order.confirmed")))
        let busy = SMTPError(.transient, "421 try later", replyCode: 421, operation: "send")
        let later = await notify(FakeMailer(failure: busy)).handle(try event(.confirmed),
                                                                    context: Fixture.context(.notify))
        #expect(later == .retry(reason: "\(busy)"))
    }
}
