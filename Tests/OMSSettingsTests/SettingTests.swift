import Foundation
import OMSDomain
import OMSSettings
import Testing

@Suite("Settings")
struct SettingTests {
    @Test("unset or empty gives the default; a valid value is read; a flag wins over the variable")
    func precedence() throws {
        #expect(try OMSSetting.prefetch.value(in: Environment([:])) == 50)
        #expect(try OMSSetting.prefetch.value(in: Environment(["OMS_PREFETCH": ""])) == 50)
        #expect(try OMSSetting.prefetch.value(in: Environment(["OMS_PREFETCH": "200"])) == 200)
        #expect(try OMSSetting.prefetch.value(flag: "7", flagName: "prefetch",
                                              in: Environment(["OMS_PREFETCH": "200"])) == 7)
    }

    @Test("a value that does not parse is refused with the variable, the value, the form and the default")
    func misspeltValue() {
        let error = #expect(throws: SettingError.self) {
            try OMSSetting.prefetch.value(in: Environment(["OMS_PREFETCH": "fifty"]))
        }
        #expect(error?.description
                == "OMS_PREFETCH is 'fifty'; it must be a whole number from 1 to 65535; unset it for the default (50)")
        let flag = #expect(throws: SettingError.self) {
            try OMSSetting.shutdownGrace.value(flag: "-1", flagName: "shutdown-grace", in: Environment([:]))
        }
        #expect(flag?.description == "--shutdown-grace is '-1'; it must be a whole number from 0 to 3600")
    }

    @Test("retention, log level and retry delays refuse what is not theirs",
          arguments: [("OMS_RETENTION", "30 days"), ("OMS_LOG_LEVEL", "verbose"), ("OMS_RETRY_DELAYS_MS", "1000,,5000"),
                      ("OMS_METRICS_PORT", "99999"), ("OMS_SMTP_URL", "mail.example:25")])
    func typedValues(variable: String, value: String) throws {
        let environment = Environment([variable: value])
        let setting = try #require(OMSSetting.all.first { $0.variable == variable })
        #expect(throws: SettingError.self) { try setting.check(in: environment) }
    }

    @Test("the typed settings read what they should")
    func typedReads() throws {
        #expect(try OMSSetting.retention.value(in: Environment(["OMS_RETENTION": "12h"])).seconds == 43_200)
        #expect(try OMSSetting.retryDelays.value(in: Environment(["OMS_RETRY_DELAYS_MS": "1000, 5000"])) == [1000, 5000])
        #expect(try OMSSetting.retryDelays.value(in: Environment([:])) == nil)
        #expect(try OMSSetting.metricsPort.value(in: Environment(["OMS_METRICS_PORT": "9464"])) == 9464)
        #expect(try OMSSetting.amqpURL.value(in: Environment(["OMS_AMQP_URL": "amqp://a:1,amqp://b:2"]))
                == "amqp://a:1,amqp://b:2")
    }

    @Test("a URL's password is never shown: not in errors, not in help")
    func secretsRedacted() {
        let error = #expect(throws: SettingError.self) {
            try OMSSetting.redisURL.value(in: Environment(["OMS_REDIS_URL": "rediss://:hunter2@cache:6380"]))
        }
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.description.hasPrefix("OMS_REDIS_URL is 'rediss://:***@cache:6380'") == true)
        #expect(OMSSetting.amqpURL.help.contains("amqp://guest:***@127.0.0.1:5672/%2F"))
        #expect(Redaction.redact("amqp://u:p@a/,amqp://b/") == "amqp://u:***@a/,amqp://b/")
        #expect(Redaction.redact("smtp://127.0.0.1:1025") == "smtp://127.0.0.1:1025")
    }

    @Test("an OMS_ variable no process reads is named, with the setting it resembles")
    func misspeltName() {
        let environment = Environment(["OMS_PREFECTH": "10", "OMS_PREFETCH": "10", "OMS_STATE_DIR": "/tmp",
                                       "OMS_SOMETHING_ELSE_ENTIRELY": "1", "PATH": "/bin"])
        #expect(OMSSetting.warnings(in: environment) == [
            "OMS_PREFECTH is set but no oms setting has that name; did you mean OMS_PREFETCH?",
            "OMS_SOMETHING_ELSE_ENTIRELY is set but no oms setting has that name",
        ])
    }

    @Test("every OMS_ variable the sources, workers and scripts name is a known setting or script variable")
    func everyVariableKnown() throws {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var named: Set<String> = []
        for folder in ["Sources", "workers", "scripts"] {
            let root = checkout.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
                .compactMap { $0 as? URL } ?? []
            for file in files where !file.hasDirectoryPath {
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                named.formUnion(Self.variables(in: text))
            }
        }
        let headerGuards = named.filter { $0.hasSuffix("_SHIM_H") }
        #expect(named.count > 20)
        #expect(named.subtracting(headerGuards).subtracting(OMSSetting.knownVariables).subtracting(["OMS_X"]) == [])
    }

    static func variables(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let start = rest.range(of: "OMS_") {
            let name = rest[start.lowerBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            if !name.hasSuffix("_") { names.insert(String(name)) }
            rest = rest[name.endIndex...]
        }
        return names
    }
}
