import CCurl
import ConnectionThread
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one owner of a libcurl easy handle (`CURL *`) and its error buffer.
///
/// libcurl keeps the connection of the last transfer open in the handle's
/// connection cache and reuses it for the next transfer to the same server
/// (after checking it is still alive), so one handle used for a burst of
/// sends costs one TCP connection, greeting, EHLO, STARTTLS and AUTH, not
/// one each. `curl_easy_reset` between sends clears the options but, per
/// its man page, keeps "live connections". `close()` (or `deinit`) calls
/// `curl_easy_cleanup`, which says QUIT on the open connection.
///
/// Like any easy handle, not thread-safe: only its sender's thread uses it.
final class CurlEasyHandle {
    /// The result of one `curl_easy_perform`.
    struct Outcome {
        /// CURLcode: 0 for success.
        var libcurlCode: Int
        /// The server's last reply code in this transfer; 0 if none came.
        var replyCode: Int
        /// CURLOPT_ERRORBUFFER's text, else `curl_easy_strerror`'s.
        var text: String
        /// Whether the transfer ran on a connection left open by an earlier one.
        var reusedConnection: Bool

        var succeeded: Bool { libcurlCode == 0 }
    }

    private var handle: UnsafeMutableRawPointer?
    /// libcurl writes its error text here (CURLOPT_ERRORBUFFER); it must
    /// stay valid for as long as the handle may use it, so it lives as long
    /// as this object.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(SMTPError) {
        guard Self.globalInit else {
            throw SMTPError(.library, "curl_global_init failed", operation: "start libcurl")
        }
        guard let handle = curl_easy_init() else {
            throw SMTPError(.library, "curl_easy_init failed", operation: "start libcurl")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        ThreadSignals.blockSIGPIPE()
    }

    deinit {
        close()
        errorBuffer.deallocate()
    }

    /// QUIT on the open connection, if any, and frees the handle.
    func close() {
        guard let handle else { return }
        curl_easy_cleanup(handle)
        self.handle = nil
    }

    /// Runs one SMTP transaction; blocks for at most the transfer's timeout.
    /// With `freshConnection`, a new connection is made even if one is open.
    func perform(_ transfer: SMTPTransfer, freshConnection: Bool = false) -> Outcome {
        guard let handle else {
            return Outcome(libcurlCode: Int(CURLE_FAILED_INIT.rawValue), replyCode: 0,
                           text: "the libcurl handle was closed", reusedConnection: false)
        }
        var recipients: UnsafeMutablePointer<curl_slist>?
        // libcurl does not copy the list: it is freed after the transfer,
        // once the option no longer points to it.
        defer { curl_slist_free_all(recipients) }
        for recipient in transfer.envelope.recipients {
            guard let list = curl_slist_append(recipients, recipient) else {
                return outcome(CURLE_OUT_OF_MEMORY, handle)
            }
            recipients = list
        }
        let source = UploadSource(transfer.message)
        let code = withExtendedLifetime(source) {
            curl_easy_reset(handle)
            errorBuffer[0] = 0
            let configured = configure(handle, transfer, recipients: recipients,
                                       source: Unmanaged.passUnretained(source).toOpaque(),
                                       freshConnection: freshConnection)
            let code = configured == CURLE_OK ? curl_easy_perform(handle) : configured
            // Nothing in the handle may point at the list or the box once
            // they are gone (the next reset clears the rest).
            _ = oms_curl_set_slist(handle, CURLOPT_MAIL_RCPT, nil)
            _ = oms_curl_set_read_callback(handle, nil, nil)
            return code
        }
        return outcome(code, handle)
    }

    private func configure(_ handle: UnsafeMutableRawPointer, _ transfer: SMTPTransfer,
                           recipients: UnsafeMutablePointer<curl_slist>?, source: UnsafeMutableRawPointer,
                           freshConnection: Bool) -> CURLcode {
        var result = CURLE_OK
        func set(_ code: CURLcode) {
            if result == CURLE_OK { result = code }
        }
        set(oms_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        set(oms_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"))
        set(oms_curl_set_string(handle, CURLOPT_URL, transfer.url))
        if let user = transfer.user, let password = transfer.password {
            set(oms_curl_set_string(handle, CURLOPT_USERNAME, user))
            set(oms_curl_set_string(handle, CURLOPT_PASSWORD, password))
        }
        let useSSL = switch transfer.useTLS {
        case .whenOffered: CURLUSESSL_TRY
        case .required: CURLUSESSL_ALL
        case .never: CURLUSESSL_NONE
        }
        set(oms_curl_set_long(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue)))
        if let caBundlePath = transfer.caBundlePath {
            set(oms_curl_set_string(handle, CURLOPT_CAINFO, caBundlePath))
        }
        // No signals: libcurl would otherwise use SIGALRM for DNS timeouts
        // and ignore SIGPIPE process-wide during each call, neither of which
        // is safe with other threads. SIGPIPE is blocked on this thread.
        set(oms_curl_set_long(handle, CURLOPT_NOSIGNAL, 1))
        set(oms_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(transfer.connectTimeout)))
        set(oms_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(transfer.timeout)))
        // Also bounds the wait for the reply to QUIT when the handle closes.
        set(oms_curl_set_long(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                              max(1, (Self.milliseconds(transfer.timeout) + 999) / 1000)))
        set(oms_curl_set_long(handle, CURLOPT_FRESH_CONNECT, freshConnection ? 1 : 0))
        set(oms_curl_set_string(handle, CURLOPT_MAIL_FROM, transfer.envelope.sender))
        set(oms_curl_set_slist(handle, CURLOPT_MAIL_RCPT, recipients))
        set(oms_curl_set_long(handle, CURLOPT_UPLOAD, 1))
        set(oms_curl_set_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(transfer.message.count)))
        set(oms_curl_set_read_callback(handle, { buffer, size, count, box in
            guard let buffer, let box else { return 0 }
            return Unmanaged<UploadSource>.fromOpaque(box).takeUnretainedValue()
                .read(into: buffer, capacity: size * count)
        }, source))
        return result
    }

    private func outcome(_ code: CURLcode, _ handle: UnsafeMutableRawPointer) -> Outcome {
        var text = String(cString: errorBuffer)
        if text.isEmpty, code != CURLE_OK { text = String(cString: curl_easy_strerror(code)) }
        return Outcome(libcurlCode: Int(code.rawValue), replyCode: oms_curl_get_response_code(handle), text: text,
                       reusedConnection: oms_curl_get_new_connections(handle) == 0)
    }

    /// curl_global_init, once per process, before the first handle: not
    /// thread-safe in every libcurl build, but a Swift static is initialized
    /// exactly once, under a lock.
    private static let globalInit: Bool = oms_curl_global_init() == CURLE_OK

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
