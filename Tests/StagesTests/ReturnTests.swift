import OMSDomain
@testable import Stages
import Testing
import WorkerRuntime

@Suite("Return: authorisations and receipts")
struct ReturnTests {
    let orders = FakeOrderRecords()
    var returns: ReturnHandler { ReturnHandler(orders: orders) }

    func request(_ orderID: String, sku: String = "MUG-BLUE", quantity: Int = 1) -> IncomingMessage {
        IncomingMessage(routingKey: "order.return", body: Array("""
            {"order_id": "\(orderID)", "reason": "too small",
             "lines": [{"sku": "\(sku)", "quantity": \(quantity), "condition": "sellable"}]}
            """.utf8))
    }

    @Test("a return of a shipped order: return_requested with its RA number, and the receipt awaited")
    func requested() async throws {
        await orders.seed(try Fixture.order(), status: .shipped, version: 5)
        let outcome = await returns.handle(request("t-1001"), context: Fixture.context(.return))
        #expect(events(outcome.messages) == ["order.return_requested v6"])
        let authorization = OrderReturn.authorization(for: "t-1001")
        #expect(authorization.hasPrefix("RA-") && authorization.count == 15)
        #expect(outcome.messages.first?.event?.data.returnAuthorization == authorization)
        #expect(outcome.messages.last?.handoff?.action == .receive)
        #expect(outcome.messages.last?.messageID == "t-1001:receive")
        #expect(await orders.stored("t-1001")?.fields["return_authorization"] == authorization)
    }

    @Test("a return for an unknown order, a line not in it, or an order not shipped is dead-lettered")
    func refused() async throws {
        #expect(await returns.handle(request("t-none"), context: Fixture.context(.return))
            == .deadLetter(reason: "order t-none does not exist; nothing to return"))
        await orders.seed(try Fixture.order(), status: .paid, version: 3)
        #expect(await returns.handle(request("t-1001", sku: "TEE-M"), context: Fixture.context(.return))
            == .deadLetter(reason: "order t-1001 has no line TEE-M; nothing of it can be returned"))
        #expect(await returns.handle(request("t-1001", quantity: 3), context: Fixture.context(.return))
            == .deadLetter(reason: "return of 3 MUG-BLUE is more than the 2 shipped in order t-1001"))
        #expect(await returns.handle(request("t-1001"), context: Fixture.context(.return))
            == .deadLetter(reason: "order t-1001 is paid; only a shipped or delivered order can be returned"))
    }

    @Test("a return request that does not read is dead-lettered with what is wrong")
    func invalidRequest() async throws {
        let outcome = await returns.handle(IncomingMessage(routingKey: "order.return", body: Array("{}".utf8)),
                                           context: Fixture.context(.return))
        #expect(outcome.deadLetterReason?.hasPrefix("invalid message:") == true)
    }

    @Test("an intake message of another kind than the one a stage reads is refused, naming the one expected")
    func otherCommand() {
        let cancel = IncomingMessage(routingKey: "order.cancel", body: Array(#"{"order_id": "t-1001"}"#.utf8))
        do {
            let request = try cancel.intakeCommand(\.returnRequest, expected: "an order.return message")
            Issue.record("read \(request) from an order.cancel")
        } catch {
            #expect(error.reason == "not an order.return message")
        }
    }

    @Test("goods received: returned, sellable lines restocked, the returned lines' value refunded")
    func received() async throws {
        let order = try Fixture.order()
        await orders.seed(order, status: .returnRequested, version: 6)
        let lines = [OrderReturn.Line(sku: "MUG-BLUE", quantity: 1, condition: .sellable)]
        let outcome = await returns.handle(
            Fixture.work(Handoff(action: .receive, order: order, returnLines: lines), to: .return),
            context: Fixture.context(.return))
        #expect(outcome.messages.map(\.routingKey) == ["order.returned", "stock.restocked", "payment"])
        #expect(events(outcome.messages) == ["order.returned v7"])
        #expect(outcome.messages.last?.handoff?.amount == 1250)
    }

    @Test("a receipt plan: restocks only sellable lines, once per SKU; refunds every returned line's price")
    func receiptPlan() throws {
        let plan = ReceiptPlan(order: try Fixture.order(), lines: [
            OrderReturn.Line(sku: "MUG-BLUE", quantity: 1, condition: .sellable),
            OrderReturn.Line(sku: "MUG-BLUE", quantity: 1, condition: .damaged),
        ], placement: .nowhere)
        #expect(plan.note == "received: 1 MUG-BLUE sellable, 1 MUG-BLUE damaged")
        #expect(plan.value == 2500)
        let messages = plan.messages(version: 7, Fixture.context(.return))
        #expect(messages.map(\.routingKey) == ["order.returned", "stock.restocked", "payment"])
        let restock = try IntakeMessage.decode(routingKey: messages[1].routingKey, body: messages[1].body)
        #expect(restock == .restocked(StockRestocked(sku: "MUG-BLUE", quantity: 1, restockID: messages[1].messageID)))
        #expect(messages[2].handoff == Handoff(action: .refund, order: try Fixture.order(), reason: "return",
                                               amount: 2500))
    }

    @Test("goods of an order whose stock was held at a location go back there")
    func receiptPlanAtLocation() throws {
        let plan = ReceiptPlan(order: try Fixture.order(),
                               lines: [OrderReturn.Line(sku: "MUG-BLUE", quantity: 1, condition: .sellable)],
                               placement: StockPlacement(location: "BER-1", parcels: []))
        let messages = plan.messages(version: 7, Fixture.context(.return))
        let restock = try IntakeMessage.decode(routingKey: messages[1].routingKey, body: messages[1].body)
        #expect(restock == .restocked(StockRestocked(sku: "MUG-BLUE", quantity: 1, restockID: messages[1].messageID,
                                                     location: "BER-1")))
    }

    @Test("goods of a split order go back to the location of the parcel they came in")
    func receiptPlanFromParcels() throws {
        let order = try Fixture.order()
        var tea = order.lines[0]
        (tea.sku, tea.quantity) = ("TEA", 1)
        var split = order
        split.lines.append(tea)
        let placement = StockPlacement(order: split,
                                       reservation: .reserved(lowStock: [], heldAt: ["MUG-BLUE": "LON-1", "TEA": "BER-1"]),
                                       preference: ["LON-1", "BER-1"])
        #expect(placement.parcels.map(\.location) == ["LON-1", "BER-1"])
        let plan = ReceiptPlan(order: split, lines: [OrderReturn.Line(sku: "TEA", quantity: 1, condition: .sellable),
                                                     OrderReturn.Line(sku: "MUG-BLUE", quantity: 1, condition: .sellable)],
                               placement: placement)
        let restocks = try plan.messages(version: 7, Fixture.context(.return)).filter { $0.routingKey == "stock.restocked" }
            .map { try IntakeMessage.decode(routingKey: $0.routingKey, body: $0.body) }
        #expect(restocks.compactMap { if case .restocked(let restock) = $0 { restock.location } else { nil } }
                == ["BER-1", "LON-1"])
    }
}
