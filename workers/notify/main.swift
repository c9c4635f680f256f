import Foundation
import Notifications
import OMSStore
import SMTPClient
import WorkerRuntime

// oms-notify: customer emails for status events, through OMS_SMTP_URL
// (default smtp://127.0.0.1:1025, the local sink), from OMS_MAIL_FROM,
// with optional OMS_MAIL_REPLY_TO, template overrides in OMS_TEMPLATES and
// the tracking link pattern OMS_TRACKING_LINK. OMS_SMTP_CONNECTIONS emails go
// out at once (default 4). Retries back off for up to about four minutes, so
// a mail server that is away for a while loses nothing.
await WorkerMain.run(stage: .notify, retries: RetryPolicy(delays: [
    .seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(120),
])) { connections, logger in
    let environment = ProcessInfo.processInfo.environment
    let overrides = try environment["OMS_TEMPLATES"].map { try EmailTemplates.readFolder($0) } ?? [:]
    let templates = try EmailTemplates(overrides: overrides)
    if !templates.overridden.isEmpty {
        logger.info("templates overridden", metadata: ["files": "\(templates.overridden.sorted())"])
    }
    let settings = try NotificationSettings(
        from: try Mailbox(address: environment["OMS_MAIL_FROM"] ?? "orders@oms.example",
                          name: environment["OMS_MAIL_FROM_NAME"] ?? "oms"),
        replyTo: try environment["OMS_MAIL_REPLY_TO"].map { try Mailbox(address: $0) },
        trackingLink: environment["OMS_TRACKING_LINK"] ?? NotificationSettings.defaultTrackingLink)
    let smtp = SMTPSenderPool(
        size: Int(environment["OMS_SMTP_CONNECTIONS"] ?? "") ?? 4,
        configuration: SMTPConfiguration(url: try SMTPURL(environment["OMS_SMTP_URL"] ?? "smtp://127.0.0.1:1025")),
        logger: logger)
    return NotifyHandler(composer: EmailComposer(templates: templates, settings: settings), smtp: smtp,
                         orders: OrderStore(redis: connections.redis, retention: connections.retention))
}
