import Foundation
import Notifications
import OMSDomain
import Testing

@Suite("Templates: built in, overridden, checked at load")
struct TemplateTests {
    @Test("every email has its three built-in templates, and they load")
    func builtIns() throws {
        #expect(EmailTemplates.fileNames.count == EmailKind.allCases.count * 3)
        for file in EmailTemplates.fileNames {
            #expect(EmailTemplates.builtInSource(file)?.isEmpty == false, "\(file)")
        }
        #expect(EmailTemplates.fileNames.contains("order.shipped.subject.mustache"))
        #expect(EmailTemplates.fileNames.contains("order.return_requested.html.mustache"))
        #expect(try EmailTemplates().overridden.isEmpty)
    }

    @Test("an override changes the template it replaces and nothing else")
    func overrideOnlyItsOwn() throws {
        let overrides = ["order.shipped.txt.mustache": "Parcel {{tracking_number}} for {{customer_name}} & co\n"]
        let plain = try TestEvents.composer()
        let custom = try TestEvents.composer(overrides: overrides)
        #expect(try custom.templates.overridden == ["order.shipped.txt.mustache"])
        for kind in EmailKind.allCases {
            let event = try TestEvents.event(for: kind)
            guard case .send(let before) = try plain.compose(eventJSON: event),
                  case .send(let after) = try custom.compose(eventJSON: event) else {
                Issue.record("no email for \(kind)")
                continue
            }
            if kind == .shipped {
                #expect(after.text == "Parcel TR0012345678 for Ada Lovelace & co\n")
                #expect(after.subject == before.subject)
                #expect(after.html == before.html)
            } else {
                #expect(after.bytes == before.bytes, "\(kind) changed")
            }
        }
    }

    @Test("a body's line ends come out as LF, blank lines around it trimmed, whatever the template used")
    func lineEndsNormalised() throws {
        let overrides = ["order.shipped.txt.mustache": "\r\n\nParcel {{tracking_number}}\r\nfor\r{{customer_name}}\n\r\n  \r\n"]
        let composer = try TestEvents.composer(overrides: overrides)
        guard case .send(let email) = try composer.compose(eventJSON: try TestEvents.event(.shipped)) else {
            Issue.record("no email for shipped")
            return
        }
        #expect(email.text == "Parcel TR0012345678\nfor\nAda Lovelace\n")
    }

    @Test("a folder of overrides is read by file name; other files there are left alone")
    func folder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("oms-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Shipped: {{order_number}} via {{carrier}}\n".write(
            to: folder.appendingPathComponent("order.shipped.subject.mustache"), atomically: true, encoding: .utf8)
        try "notes for the team".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        try "x".write(to: folder.appendingPathComponent(".order.shipped.txt.mustache.swp"), atomically: true,
                      encoding: .utf8)
        let files = try EmailTemplates.readFolder(folder.path)
        #expect(Array(files.keys) == ["order.shipped.subject.mustache"])
        let email = try TestEvents.email(try TestEvents.event(.shipped), overrides: files)
        #expect(email.subject == "Shipped: #100234 via table-rate")
        #expect(try TestEvents.email(try TestEvents.event(.delivered), overrides: files).subject
                == "Your order #100234 has been delivered")
    }

    @Test("a broken override is reported at load, naming the file and where", arguments: [
        ("order.shipped.html.mustache", "<p>{{#tracking_url}}<a href=\"{{tracking_url}}\">track</a></p>\n",
         "template order.shipped.html.mustache line 2, column 1: a section {{#…}} or {{^…}} is never closed"),
        ("order.cancelled.txt.mustache", "Hello,\n\nReason: {{reason\n",
         "template order.cancelled.txt.mustache line 3, column 9: a tag is not closed (a {{ without its }}) in \"Reason: {{reason\""),
        ("order.refunded.subject.mustache", "{{#refund_amount}}Refund{{/amount}}",
         "template order.refunded.subject.mustache line 1, column 28: the closing tag {{/…}} does not match the section it closes in \"{{#refund_amount}}Refund{{/amount}}\""),
    ])
    func brokenOverride(file: String, source: String, message: String) throws {
        do {
            _ = try EmailTemplates(overrides: [file: source])
            Issue.record("loaded a broken template")
        } catch {
            #expect(error.description == message)
            guard case .syntax(let named, _, _, _, _) = error else {
                Issue.record("not a syntax error: \(error)")
                return
            }
            #expect(named == file)
        }
    }

    @Test("an override that renders nothing, a two-line subject, an unknown file or a bad folder is reported")
    func unusableOverrides() throws {
        #expect(throws: TemplateError.unusable(
            file: "order.shipped.txt.mustache", problem: "renders nothing; an email needs a subject and both parts")) {
            try EmailTemplates(overrides: ["order.shipped.txt.mustache": "{{#nothing}}x{{/nothing}}\n"])
        }
        #expect(throws: TemplateError.unusable(
            file: "order.shipped.subject.mustache",
            problem: "renders more than one line (or a control character); a subject is one line")) {
            try EmailTemplates(overrides: ["order.shipped.subject.mustache": "Shipped\n{{order_number}}\n"])
        }
        do {
            _ = try EmailTemplates(overrides: ["order.shiped.txt.mustache": "typo"])
            Issue.record("loaded an unknown file")
        } catch {
            #expect(error.description.hasPrefix("template order.shiped.txt.mustache is not one oms uses"))
        }
        do {
            _ = try EmailTemplates.readFolder("/nonexistent/oms-templates")
            Issue.record("read a folder that is not there")
        } catch {
            #expect(error.description.hasPrefix("template folder /nonexistent/oms-templates cannot be read"))
        }
    }

    @Test("text templates insert values as they are; HTML templates escape {{ }} and not {{{ }}}")
    func escapingModes() throws {
        let order = try TestEvents.order(name: "A&B <x>")
        let email = try TestEvents.email(TestEvents.event(.confirmed, order), overrides: [
            "order.confirmed.subject.mustache": "{{customer_name}} {{{customer_name}}}",
            "order.confirmed.txt.mustache": "{{customer_name}} {{{customer_name}}}\n",
            "order.confirmed.html.mustache": "<p>{{customer_name}} {{{customer_name}}}</p>\n",
        ])
        #expect(email.subject == "A&B <x> A&B <x>")
        #expect(email.text == "A&B <x> A&B <x>\n")
        #expect(email.html == "<p>A&amp;B &lt;x&gt; A&B <x></p>\n")
    }

    @Test("a text template keeps its first line and its line numbers, with CRLF or LF")
    func textTemplateLines() throws {
        let email = try TestEvents.email(try TestEvents.event(.delivered), overrides: [
            "order.delivered.txt.mustache": "{{#carrier}}\r\nBy {{carrier}}\r\n{{/carrier}}\r\nDone.\r\n",
        ])
        #expect(email.text == "By table-rate\nDone.\n")
    }
}
