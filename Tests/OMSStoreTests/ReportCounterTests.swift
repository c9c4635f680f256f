import OMSDomain
import Testing
@testable import OMSStore

@Suite("report counters and tallies")
struct ReportCounterTests {
    @Test("counter fields are spelled as the report reads them, and read back", arguments: [
        (ReportCounter.entered(.shipped), "in:shipped"),
        (.entered(.returnRequested, channel: "web"), "in:return_requested:web"),
        (.left(.picked), "out:picked"),
        (.left(.received, channel: "amazon-eu"), "out:received:amazon-eu"),
        (.shipTime(bucket: 312), "ship_ms:312"),
        (.refunds(currency: "EUR"), "refunds:EUR"),
        (.emails(eventType: "order.shipped"), "emails:order.shipped"),
    ])
    func fields(counter: ReportCounter, field: String) {
        #expect(counter.field == field)
        #expect(ReportCounter(field: field) == counter)
    }

    @Test("fields this version does not know are not counters",
          arguments: ["in:sold", "in:", "in:shipped:", "ship_ms:x", "ship_ms:-1", "refunds", "other:1", ""])
    func unknownFields(field: String) {
        #expect(ReportCounter(field: field) == nil)
    }

    @Test("a move counts the status entered and the one left, in all and in the channel")
    func move() {
        let tally = Tally.entering(StatusEntry(status: .paid, from: .confirmed, channel: "web", createdAt: nil,
                                               enteredAt: nil))
        #expect(tally.fact == "status:paid")
        #expect(tally.increments == [.entered(.paid): 1, .entered(.paid, channel: "web"): 1,
                                     .left(.confirmed): 1, .left(.confirmed, channel: "web"): 1])
    }

    @Test("a new order counts as received and leaves nothing")
    func creation() {
        let tally = Tally.entering(StatusEntry(status: .received, from: nil, channel: "ebay",
                                               createdAt: ReportTestData.start, enteredAt: ReportTestData.start))
        #expect(tally.increments == [.entered(.received): 1, .entered(.received, channel: "ebay"): 1])
    }

    @Test("shipping counts the time since the order was received in its bucket")
    func shipping() {
        let tally = Tally.entering(StatusEntry(status: .shipped, from: .picked, channel: "web",
                                               createdAt: ReportTestData.start,
                                               enteredAt: ReportTestData.start.addingTimeInterval(7_200)))
        #expect(tally.increments[.shipTime(bucket: DurationBuckets.bucket(milliseconds: 7_200_000))] == 1)
        #expect(tally.increments.count == 5)
    }

    @Test("extra counts join the status's; the arguments list them sorted, after the fact and the marker's ttl")
    func arguments() {
        let tally = Tally.entering(StatusEntry(status: .refunded, from: .returned, channel: "", createdAt: nil,
                                               enteredAt: nil), extra: [.refunds(currency: "USD"): 1250])
        #expect(tally.arguments(markerTTL: 60) == ["status:refunded", "60", "in:refunded", "1", "out:returned", "1",
                                                   "refunds:USD", "1250"])
        #expect(Tally.emailSent(eventType: "order.paid").arguments(markerTTL: 0)
            == ["email:order.paid", "0", "emails:order.paid", "1"])
    }
}
