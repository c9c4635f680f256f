import Notifications
import OMSSettings
import OMSStore
import SMTPClient
import Stages
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
    let overrides = try OMSSetting.templates.value().map { try EmailTemplates.readFolder($0) } ?? [:]
    let templates = try EmailTemplates(overrides: overrides)
    if !templates.overridden.isEmpty {
        logger.info("templates overridden", metadata: ["files": "\(templates.overridden.sorted())"])
    }
    let settings = try NotificationSettings(
        from: try Mailbox(address: try OMSSetting.mailFrom.value(), name: try OMSSetting.mailFromName.value(),
                          addressPath: OMSSetting.mailFrom.variable, namePath: OMSSetting.mailFromName.variable),
        replyTo: try OMSSetting.mailReplyTo.value().map {
            try Mailbox(address: $0, addressPath: OMSSetting.mailReplyTo.variable)
        },
        trackingLink: try OMSSetting.trackingLink.value() ?? NotificationSettings.defaultTrackingLink)
    let smtp = SMTPSenderPool(
        size: try OMSSetting.smtpConnections.value(),
        configuration: SMTPConfiguration(url: try SMTPURL(try OMSSetting.smtpURL.value()),
                                         timeout: .seconds(try OMSSetting.smtpTimeout.value())),
        logger: logger)
    return NotifyHandler(composer: EmailComposer(templates: templates, settings: settings), mailer: smtp,
                         orders: OrderStore(redis: connections.redis, retention: connections.retention))
}
