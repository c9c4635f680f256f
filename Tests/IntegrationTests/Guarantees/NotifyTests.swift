import AMQPClient
import Foundation
import OMSContract
import OMSDomain
import Testing
import WorkerRuntime

@Suite("Customer emails")
struct NotifyTests {
    @Test("each emailing event gives exactly one email with what it adds: confirmed … refunded, backordered, cancelled, a refused cancel")
    func everyEventType() async throws {
        let (pipeline, smtp) = try await Self.start("mailall")
        let documents = FulfilmentTests.documentsFolder()
        var workers = try FulfilmentTests.startStages(pipeline, documents: documents)
        workers.append(try Self.notify(pipeline, smtp))
        let mug = TestOrders.sku("MAILMUG")
        let none = TestOrders.sku("MAILNONE")
        try await pipeline.inventory.set(sku: mug, available: 5)
        try await pipeline.inventory.set(sku: none, available: 0)
        let shipped = "mail-\(pipeline.vhost.suffix(8))-1"
        let cancelled = "mail-\(pipeline.vhost.suffix(8))-2"
        try await pipeline.publish("order.place", json: TestOrders.place(id: shipped, lines: [(mug, 2)]))
        try await pipeline.publish("order.place", json: TestOrders.place(id: cancelled, lines: [(none, 1)]))
        #expect(try await pipeline.wait { try await pipeline.statuses([shipped])[shipped] == .shipped })
        try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(shipped)", "reason": "too late"}"#)
        // Refused while shipped, before the delivery below moves the order on.
        #expect(try await pipeline.wait {
            try await pipeline.orders.history(orderID: shipped).contains { !$0.isTransition }
        })
        #expect(try await pipeline.wait { try await pipeline.statuses([cancelled])[cancelled] == .backordered })
        let tracking = try #require(try await pipeline.orders.fields(orderID: shipped)["tracking_number"])
        try await pipeline.publish("shipment.delivered", json: #"{"order_id": "\#(shipped)", "tracking_number": "\#(tracking)", "delivered_at": "2026-11-24T12:00:00Z"}"#)
        #expect(try await pipeline.wait { try await pipeline.statuses([shipped])[shipped] == .delivered })
        try await pipeline.publish("order.return", json: #"{"order_id": "\#(shipped)", "lines": [{"sku": "\#(mug)", "quantity": 2, "condition": "sellable"}]}"#)
        try await pipeline.publish("order.cancel", json: #"{"order_id": "\#(cancelled)", "reason": "no longer needed"}"#)

        let expected = ["order.confirmed", "order.shipped", "cancel.refused", "order.delivered",
                        "order.return_requested", "order.refunded"].map { "\(shipped) \($0)" }
            + ["order.backordered", "order.cancelled"].map { "\(cancelled) \($0)" }
        #expect(try await pipeline.wait { try await Mail.read(smtp.mailDirectory).count >= expected.count })
        try await Task.sleep(for: .seconds(1))
        let mails = try await Mail.read(smtp.mailDirectory)
        #expect(mails.map(\.key).sorted() == expected.sorted(), "one email per event, no other")
        for mail in mails {
            #expect(mail.to == "Ada Lovelace <ada@example.com>")
            #expect(mail.defects.isEmpty, "\(mail.key): \(mail.defects)")
            #expect(mail.contentType == "multipart/alternative" && mail.parts == ["text/plain", "text/html"])
            #expect(mail.subject.contains(mail.order), "\(mail.key): \(mail.subject)")
        }
        let shippedMail = try #require(mails.first { $0.event == "order.shipped" })
        #expect(shippedMail.text.contains(tracking) && shippedMail.text.contains("table-rate"))
        #expect(shippedMail.html.contains("https://track.example/table-rate/\(tracking)"))
        #expect(try #require(mails.first { $0.event == "order.refunded" }).text.contains("$25.00"))
        #expect(try #require(mails.first { $0.event == "order.cancelled" }).text.contains("no longer needed"))
        let refusal = try #require(mails.first { $0.event == "cancel.refused" })
        #expect(refusal.subject == "We could not cancel your order \(shipped)")
        #expect(refusal.text.contains("Why: it has already shipped."), "\(refusal.text)")
        await pipeline.stop(workers)
        await smtp.stop()
    }

    @Test("the same event delivered three times: one email")
    func threeTimes() async throws {
        let (pipeline, smtp) = try await Self.start("mailthrice")
        let worker = try Self.notify(pipeline, smtp)
        let event = Self.event(orderID: "thrice-\(pipeline.vhost.suffix(8))")
        for _ in 0..<3 { try await Self.publish(event, pipeline) }
        #expect(try await pipeline.wait { try await Mail.read(smtp.mailDirectory).count >= 1 })
        try await Task.sleep(for: .seconds(2))
        #expect(try await Mail.read(smtp.mailDirectory).count == 1)
        await pipeline.stop([worker])
        await smtp.stop()
    }

    @Test("the same event delivered 20 times at once, all waiting for notify's one SMTP connection: one email")
    func manyCopiesWaitingForASender() async throws {
        let (pipeline, smtp) = try await Self.start("mailqueue")
        let event = Self.event(orderID: "queued-\(pipeline.vhost.suffix(8))")
        for _ in 0..<20 { try await Self.publish(event, pipeline) }
        let worker = try Self.notify(pipeline, smtp, environment: ["OMS_SMTP_CONNECTIONS": "1"])
        #expect(try await pipeline.wait { try await Mail.read(smtp.mailDirectory).count >= 1 })
        #expect(try await pipeline.wait { try await pipeline.amqp.inspect(queue: Stage.notify.queue).messages == 0 })
        try await Task.sleep(for: .seconds(3))  // past the copies' retries (200, 400, 800 ms)
        #expect(try await Mail.read(smtp.mailDirectory).count == 1)
        await pipeline.stop([worker])
        await smtp.stop()
    }

    @Test("notify SIGKILLed during a burst of 500 events and restarted: every event emailed, duplicates counted")
    func killedDuringBurst() async throws {
        let (pipeline, smtp) = try await Self.start("mailkill")
        let ids = (0..<500).map { "burst-\(pipeline.vhost.suffix(8))-\($0)" }
        for id in ids { try await Self.publish(Self.event(orderID: id), pipeline) }
        let first = try Self.notify(pipeline, smtp)
        #expect(try await pipeline.wait(every: .milliseconds(20)) { try await Mail.read(smtp.mailDirectory).count >= 150 })
        first.crash()
        // The events the killed copy was sending wait for its leases (35 s) to end.
        let second = try Self.notify(pipeline, smtp, retryDelays: "1000,5000,10000,10000,10000,10000,10000")
        #expect(try await pipeline.wait(timeout: .seconds(180)) {
            Set(try await Mail.read(smtp.mailDirectory).map(\.order)).count == ids.count
        })
        try await Task.sleep(for: .seconds(1))
        let mails = try await Mail.read(smtp.mailDirectory)
        let duplicates = mails.count - Set(mails.map(\.order)).count
        print("notify SIGKILL during 500 events: \(mails.count) emails, \(duplicates) duplicates (target 0)")
        #expect(duplicates <= 10, "at most the emails in flight at the kill may repeat")
        await pipeline.stop([second])
        await smtp.stop()
    }

    @Test("the SMTP server away for 30 s during a burst: every email arrives afterwards")
    func smtpAway() async throws {
        let (pipeline, smtp) = try await Self.start("mailaway")
        let worker = try Self.notify(pipeline, smtp, retryDelays: "1000,2000,4000,8000,16000,32000")
        let ids = (0..<100).map { "away-\(pipeline.vhost.suffix(8))-\($0)" }
        for id in ids.prefix(20) { try await Self.publish(Self.event(orderID: id), pipeline) }
        #expect(try await pipeline.wait { try await Mail.read(smtp.mailDirectory).count == 20 })
        try await smtp.stop("smtp")
        for id in ids.dropFirst(20) { try await Self.publish(Self.event(orderID: id), pipeline) }
        try await Task.sleep(for: .seconds(30))
        try await smtp.start("smtp")
        #expect(try await pipeline.wait(timeout: .seconds(120)) {
            Set(try await Mail.read(smtp.mailDirectory).map(\.order)) == Set(ids)
        })
        await pipeline.stop([worker])
        await smtp.stop()
    }

    @Test("CR/LF in a name, email or reason never makes a header: the event is dead-lettered, nothing sent")
    func injection() async throws {
        let (pipeline, smtp) = try await Self.start("mailinject")
        let worker = try Self.notify(pipeline, smtp)
        let prefix = "inject-\(pipeline.vhost.suffix(8))"
        let bad = [("name", "Ada\r\nBcc: mallory@example.com"), ("email", "ada@example.com\r\nBcc: mallory@example.com"),
                   ("reason", "sorry\r\nBcc: mallory@example.com")]
        for (index, (field, value)) in bad.enumerated() {
            try await Self.publish(Self.event(orderID: "\(prefix)-\(index)", status: .cancelled, field: field, value: value),
                                   pipeline, messageID: "\(prefix)-\(index)")
        }
        try await Self.publish(Self.event(orderID: "\(prefix)-good"), pipeline)
        #expect(try await pipeline.wait { try await Mail.read(smtp.mailDirectory).count == 1 })
        let dead = await Inbox(try await pipeline.amqp.consume(queue: Topology.dead, prefetch: 10))
        let letters = await dead.wait(for: bad.count)
        #expect(letters.count == bad.count)
        for letter in letters {
            #expect(letter.headers[Headers.stage] == "notify")
            #expect(letter.headers[Headers.error]?.string?.contains("line break") == true, "\(letter.headers)")
        }
        let mails = try await Mail.read(smtp.mailDirectory)
        #expect(mails.map(\.order) == ["\(prefix)-good"])
        #expect(!(try Mail.raw(smtp.mailDirectory).contains("mallory")))
        await pipeline.stop([worker])
        await smtp.stop()
    }

    @Test("a template override folder changes the shipped email only")
    func templateOverride() async throws {
        let (pipeline, smtp) = try await Self.start("mailtemplate")
        let folder = FulfilmentTests.documentsFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "Custom: {{order_number}} is on its way\n".write(toFile: "\(folder)/order.shipped.subject.mustache",
                                                            atomically: true, encoding: .utf8)
        let worker = try Self.notify(pipeline, smtp, environment: ["OMS_TEMPLATES": folder])
        let id = "tmpl-\(pipeline.vhost.suffix(8))"
        try await Self.publish(Self.event(orderID: id), pipeline)
        try await Self.publish(Self.event(orderID: id, status: .shipped), pipeline)
        #expect(try await pipeline.wait { try await Mail.read(smtp.mailDirectory).count == 2 })
        let mails = try await Mail.read(smtp.mailDirectory)
        #expect(mails.first { $0.event == "order.shipped" }?.subject == "Custom: \(id) is on its way")
        #expect(mails.first { $0.event == "order.confirmed" }?.subject.hasPrefix("Custom") == false)
        await pipeline.stop([worker])
        await smtp.stop()
    }

    // MARK: - Helpers

    static func start(_ name: String) async throws -> (PipelineHarness, PrivateServers) {
        (try await PipelineHarness.start(name), try await PrivateServers.start(["smtp"]))
    }

    static func notify(_ pipeline: PipelineHarness, _ smtp: PrivateServers, retryDelays: String? = nil,
                       environment: [String: String] = [:]) throws -> WorkerProcess {
        var settings = ["OMS_SMTP_URL": smtp.smtpURL, "OMS_MAIL_FROM": "orders@shop.example"]
        if let retryDelays { settings["OMS_RETRY_DELAYS_MS"] = retryDelays }
        return try pipeline.startWorker(.notify, environment: settings.merging(environment) { _, new in new })
    }

    /// A status event as the stages publish it, for an order of the test's own.
    static func event(orderID: String, status: OrderStatus = .confirmed, field: String? = nil,
                      value: String? = nil) -> [UInt8] {
        let json = TestOrders.place(id: orderID, lines: [("MUG-BLUE", 1)])
        guard case .place(let order)? = try? IntakeMessage.decode(routingKey: "order.place", body: Array(json.utf8))
        else { return [] }
        var data = OrderEventData(orderID: orderID, status: status, version: 2, channel: order.channel)
        data.describe(order)
        if status == .shipped {
            data.trackingNumber = "CA123456785GB"
            data.carrier = "table-rate"
        }
        switch field {
        case "name": data.customer?.name = value ?? ""
        case "email": data.customer?.email = value ?? ""
        case "reason": data.reason = value
        default: break
        }
        return StatusEvent.order(data, stage: "capture", time: Date(timeIntervalSince1970: 1_795_341_600),
                                 traceparent: nil).encoded()
    }

    static func publish(_ event: [UInt8], _ pipeline: PipelineHarness, messageID: String? = nil) async throws {
        let type = (try JSONSerialization.jsonObject(with: Data(event)) as! [String: Any])["type"] as! String
        try await pipeline.amqp.publish(AMQPMessage(exchange: Topology.events, routingKey: type, body: event,
                                                    messageID: messageID, mandatory: false))
    }
}

/// The messages an SMTP sink stored, parsed by Python's email package.
struct Mail: Decodable {
    var order: String
    var event: String
    var to: String
    var subject: String
    var contentType: String
    var parts: [String]
    var text: String
    var html: String
    var defects: [String]

    var key: String { "\(order) \(event)" }

    static func read(_ directory: String) async throws -> [Mail] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        let output = try await ChildProcess.run(["python3", "-c", parser, directory])
        return try JSONDecoder().decode([Mail].self, from: Data(output.utf8))
    }

    static func raw(_ directory: String) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: directory).map {
            (try? String(contentsOfFile: "\(directory)/\($0)", encoding: .utf8)) ?? ""
        }.joined()
    }

    private static let parser = """
        import email, email.policy, json, os, sys
        out = []
        folder = sys.argv[1]
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), 'rb') as f:
                m = email.message_from_binary_file(f, policy=email.policy.default)
            parts = [p for p in m.iter_parts()] if m.is_multipart() else []
            body = lambda t: next((p.get_content() for p in parts if p.get_content_type() == t), '')
            out.append({'order': str(m['X-OMS-Order']), 'event': str(m['X-OMS-Event']), 'to': str(m['To']),
                        'subject': str(m['Subject']), 'contentType': m.get_content_type(),
                        'parts': [p.get_content_type() for p in parts], 'text': body('text/plain'),
                        'html': body('text/html'), 'defects': [str(d) for d in m.defects]})
        print(json.dumps(out))
        """
}
