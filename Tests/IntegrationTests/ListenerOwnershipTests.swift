import Supervision
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("A test server owns its port")
struct ListenerOwnershipTests {
    @Test("the process that bound a port holds its listener; another process, listening or not, does not")
    func holdsListener() async throws {
        let port = try LocalPorts.free(1)[0]
        let listen = "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', \(port))); s.listen(); time.sleep(60)"
        let owner = try ChildProcess.spawn([SMTPTestServer.python, "-c", listen])
        defer { ChildProcess.terminate(owner) }
        let other = try ChildProcess.spawn([SMTPTestServer.python, "-c", "import time; time.sleep(60)"])
        defer { ChildProcess.terminate(other) }
        try #require(await ChildProcess.waitUntilListening(owner, port: port, timeout: .seconds(15)))
        #expect(ChildProcess.holdsListener(owner, port: port))
        #expect(!ChildProcess.holdsListener(other, port: port))
        #expect(!ChildProcess.holdsListener(owner, port: port == 19_999 ? 10_000 : port + 1))
    }
}
