import Testing
@testable import RedisClient

@Suite("Redis URL")
struct RedisURLTests {
    @Test("full URL with percent-encoded user and password")
    func fullURL() throws {
        let url = try RedisURL("redis://oms%2Dworker:s%40cret%3Ax@cache.local:6390/3")
        #expect(url == RedisURL(host: "cache.local", port: 6390, user: "oms-worker", password: "s@cret:x",
                                database: 3))
    }

    @Test("defaults: port 6379, database 0, no credentials")
    func defaults() throws {
        #expect(try RedisURL("redis://localhost") == RedisURL(host: "localhost"))
        #expect(try RedisURL("redis://localhost/") == RedisURL(host: "localhost"))
        #expect(try RedisURL("REDIS://127.0.0.1:6379/0") == RedisURL())
    }

    @Test("redis://:password@host means a password alone")
    func passwordAlone() throws {
        let url = try RedisURL("redis://:hunter2@127.0.0.1")
        #expect(url.user == nil)
        #expect(url.password == "hunter2")
    }

    @Test("empty credentials mean none")
    func emptyCredentials() throws {
        #expect(try RedisURL("redis://:@127.0.0.1") == RedisURL())
    }

    @Test("an IPv6 host goes in brackets")
    func ipv6() throws {
        let url = try RedisURL("redis://[::1]:6380/2")
        #expect(url == RedisURL(host: "::1", port: 6380, database: 2))
        #expect(url.description == "redis://[::1]:6380/2")
    }

    @Test("description hides the password", arguments: [
        ("redis://oms:hunter2@127.0.0.1:6379/0", "redis://oms:***@127.0.0.1:6379/0"),
        ("redis://:hunter2@127.0.0.1/4", "redis://:***@127.0.0.1:6379/4"),
        ("redis://127.0.0.1", "redis://127.0.0.1:6379/0"),
    ])
    func hidesPassword(url: String, shown: String) throws {
        #expect(try RedisURL(url).description == shown)
    }

    @Test("bad URLs say what is wrong", arguments: [
        ("127.0.0.1:6379", "missing redis:// scheme"),
        ("http://127.0.0.1", "unknown scheme 'http'"),
        ("rediss://127.0.0.1", "rediss (TLS) is not supported"),
        ("redis://", "missing host"),
        ("redis://:6379/0", "missing host"),
        ("redis://127.0.0.1:99999", "bad port '99999' (1-65535)"),
        ("redis://127.0.0.1:0", "bad port '0' (1-65535)"),
        ("redis://127.0.0.1:", "bad port '' (1-65535)"),
        ("redis://127.0.0.1:+80", "bad port '+80' (1-65535)"),
        ("redis://127.0.0.1:http", "bad port 'http' (1-65535)"),
        ("redis://127.0.0.1/x", "bad database 'x' (a number from 0)"),
        ("redis://127.0.0.1/-1", "bad database '-1' (a number from 0)"),
        ("redis://127.0.0.1/0/1", "bad database '0/1' (a number from 0)"),
        ("redis://127.0.0.1/0?timeout=5", "query parameters and fragments are not supported"),
        ("redis://::1:6379", "IPv6 hosts go in brackets: redis://[::1]:6379"),
        ("redis://[::1:6379", "unclosed '[' in the host"),
        ("redis://oms@127.0.0.1", "user without a password (for a password alone write redis://:password@host)"),
        ("redis://oms:@127.0.0.1", "user 'oms' has an empty password"),
        ("redis://:100%@127.0.0.1", "bad percent-encoding in the password"),
        ("redis://:%zz@127.0.0.1", "bad percent-encoding in the password"),
        ("redis://:%ff@127.0.0.1", "bad percent-encoding in the password"),
        ("redis://a%2:b@127.0.0.1", "bad percent-encoding in the user"),
    ])
    func badURL(url: String, message: String) {
        #expect(throws: RedisError(.invalidURL, message, command: "parse URL")) { try RedisURL(url) }
    }

    @Test("a bad URL's error never shows the password")
    func errorHidesPassword() {
        #expect {
            try RedisURL("redis://:hunter2@127.0.0.1:99999")
        } throws: { error in
            let text = "\(error)"
            return text.contains("bad port '99999'") && text.contains("expected redis://") && !text.contains("hunter2")
        }
    }
}
