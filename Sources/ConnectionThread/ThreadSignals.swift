#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a connection thread sets up before its C library writes to a socket.
public enum ThreadSignals {
    /// The C libraries write with write(2), so a write to a socket the server
    /// has closed raises SIGPIPE, whose default action ends the process.
    /// Blocked on the calling thread (which only its connection uses) it
    /// stays pending and the write fails with EPIPE, which the library
    /// reports as an I/O error.
    public static func blockSIGPIPE() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }
}

extension timeval {
    /// A duration as the C libraries take their timeouts.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
