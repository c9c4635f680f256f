import Testing

/// A misspelt value stops a process before it connects, naming the setting;
/// none of these runs reaches a server.
@Suite("Settings checked at start")
struct SettingsAtStartTests {
    @Test("a worker refuses OMS_PREFETCH=fifty at start, naming the variable and the default")
    func workerRefusesValue() async throws {
        let result = try await OMSCLI.run([], environment: ["OMS_PREFETCH": "fifty"], executable: "oms-return")
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("OMS_PREFETCH is 'fifty'; it must be a whole number from 1 to 65535; "
                                       + "unset it for the default (50)"), "\(result)")
    }

    @Test("a stage's own setting is checked too: oms-pick refuses OMS_PICK_WINDOW_MS=2s")
    func stageSettingRefused() async throws {
        let result = try await OMSCLI.run([], environment: ["OMS_PICK_WINDOW_MS": "2s"], executable: "oms-pick")
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("OMS_PICK_WINDOW_MS is '2s'"), "\(result)")
    }

    @Test("a flag's bad value is named as the flag; a password in a URL is never shown")
    func flagAndSecret() async throws {
        let flag = try await OMSCLI.run(["--prefetch", "0"], executable: "oms-ship")
        #expect(flag.stderr.contains("--prefetch is '0'"), "\(flag)")
        let url = try await OMSCLI.run(["status", "web-1"], environment: ["OMS_AMQP_URL": "http://ops:s3cret@mq/"])
        #expect(url.status != 0)
        #expect(url.stderr.contains("OMS_AMQP_URL is 'http://ops:***@mq/'"), "\(url)")
        #expect(!url.stderr.contains("s3cret"), "\(url)")
    }

    @Test("--help lists a worker's own settings with their defaults")
    func helpListsSettings() async throws {
        let result = try await OMSCLI.run(["--help"], executable: "oms-notify")
        #expect(result.stdout.contains("OMS_SMTP_CONNECTIONS"), "\(result)")
        #expect(result.stdout.contains("default smtp://127.0.0.1:1025"), "\(result)")
        #expect(result.stdout.contains("amqp://guest:***@127.0.0.1:5672/%2F"), "\(result)")
        #expect(!result.stdout.contains("guest:guest"), "\(result)")
    }
}
