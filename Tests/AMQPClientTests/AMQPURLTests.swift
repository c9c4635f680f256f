import Testing
@testable import AMQPClient

@Suite("AMQP URL")
struct AMQPURLTests {
    @Test("full URL with percent-encoded vhost")
    func fullURL() throws {
        let url = try AMQPURL("amqp://oms:s%40cret@rabbit.local:5673/%2Fshop")
        #expect(url == AMQPURL(host: "rabbit.local", port: 5673, user: "oms", password: "s@cret",
                               virtualHost: "/shop"))
    }

    @Test("defaults: guest, port 5672, vhost /")
    func defaults() throws {
        #expect(try AMQPURL("amqp://localhost") == AMQPURL(host: "localhost"))
        #expect(try AMQPURL("amqp://localhost/").virtualHost == "/")
        #expect(try AMQPURL("amqp://localhost/%2F").virtualHost == "/")
    }

    @Test("an IPv6 host goes in brackets, and comes back in them")
    func ipv6() throws {
        let url = try AMQPURL("amqp://oms:pw@[::1]:5673/%2F")
        #expect(url.host == "::1" && url.port == 5673)
        #expect(url.description == "amqp://oms:***@[::1]:5673/%2F")
    }

    @Test("amqps: TLS on port 5671 by default, with the CA file of cacertfile, shown in the description")
    func tls() throws {
        let url = try AMQPURL("amqps://oms:pw@mq.shop.example/%2F?cacertfile=%2Fetc%2Foms%2Fca.pem")
        #expect(url == AMQPURL(host: "mq.shop.example", port: 5671, user: "oms", password: "pw",
                               tls: AMQPURL.TLS(caCertificateFile: "/etc/oms/ca.pem")))
        #expect(url.description == "amqps://oms:***@mq.shop.example:5671/%2F?cacertfile=/etc/oms/ca.pem")
        #expect(try AMQPURL("amqps://mq:5673").tls == AMQPURL.TLS(caCertificateFile: nil))
        #expect(try AMQPURL("amqp://mq").tls == nil)
    }

    @Test("description hides the password")
    func hidesPassword() throws {
        let url = try AMQPURL("amqp://oms:hunter2@127.0.0.1:5672/%2F")
        #expect(url.description == "amqp://oms:***@127.0.0.1:5672/%2F")
    }

    @Test("bad URLs say what is wrong", arguments: [
        ("localhost:5672", "missing scheme"),
        ("http://localhost", "unknown scheme 'http'"),
        ("amqps://localhost/%2F?verify=verify_none", "unknown query 'verify=verify_none'"),
        ("amqp://localhost/%2F?cacertfile=/ca.pem", "query parameters (TLS settings) without amqps"),
        ("amqp://localhost:99999", "bad port '99999'"),
        ("amqp://localhost:abc", "bad port 'abc'"),
        ("amqp://localhost:+5", "bad port '+5'"),
        ("amqp://::1:5672", "IPv6 hosts go in brackets: amqp://[::1]:5672"),
        ("amqp://:5672", "missing host"),
        ("amqp://localhost/%zz", "bad percent-encoding in vhost"),
    ])
    func badURLs(input: String, reason: String) {
        #expect {
            try AMQPURL(input)
        } throws: { error in
            let error = error as! AMQPError
            return error.kind == .invalidURL && error.text.hasPrefix(reason)
        }
    }
}
