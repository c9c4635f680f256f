import Foundation
import Supervision
#if canImport(Glibc)
import Glibc
#endif

/// `oms serve` as a process of its own on a free loopback port, on the
/// test's vhost, with its output in the test's log folder.
struct ServeProcess {
    let pid: pid_t
    let port: Int

    static func start(_ pipeline: PipelineHarness, documents: String) async throws -> ServeProcess {
        let binary = try OMSCLI.path(of: "oms")
        let logPath = "\(pipeline.logDirectory)/oms-serve.log"
        return try await LocalPorts.twice {
            let port = try LocalPorts.free(1)[0]
            let pid = try ChildProcess.spawn([binary, "serve", "--port", "\(port)"], environment: [
                "OMS_AMQP_URL": pipeline.amqpURL, "OMS_REDIS_URL": pipeline.redisURL,
                "OMS_ADMIN_PASSWORD": BrowserScenario.adminPassword,
                "OMS_SHOPIFY_SECRET": BrowserScenario.shopifySecret, "OMS_DOCUMENTS_DIR": documents,
            ], outputPath: logPath)
            guard await ChildProcess.waitUntilListening(pid, port: port, timeout: TestBounds.failsFast) else {
                await ChildProcess.terminateGracefully(pid)
                throw ChildProcessFailed(command: [binary, "serve"], status: 1,
                                         output: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
            }
            return ServeProcess(pid: pid, port: port)
        }
    }

    func stop() async {
        await ChildProcess.terminateGracefully(pid)
    }
}
