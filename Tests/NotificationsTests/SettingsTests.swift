import Foundation
import Notifications
import Testing

@Suite("Settings")
struct SettingsTests {
    @Test("the Message-ID domain defaults to oms. and the sender's domain")
    func defaultDomain() throws {
        let settings = try NotificationSettings(from: Mailbox(address: "orders@shop.example"))
        #expect(settings.messageIDDomain == "oms.shop.example")
        #expect(settings.shopName == "shop.example")
        #expect(settings.trackingLink == NotificationSettings.defaultTrackingLink)
    }

    @Test("a tracking link without {tracking_number}, or not http(s), is refused", arguments: [
        "https://track.example/{carrier}", "ftp://track.example/{tracking_number}", "https://t.example/{tracking_number} x",
    ])
    func badTrackingLink(link: String) throws {
        let from = try Mailbox(address: "orders@shop.example")
        #expect(throws: NotificationError.self) { try NotificationSettings(from: from, trackingLink: link) }
    }

    @Test("a bad sender is refused naming the setting")
    func badSender() {
        #expect(throws: NotificationError.invalidAddress(path: "OMS_MAIL_FROM", problem: "has no @; it must be an email address such as ada@example.com")) {
            try Mailbox(address: "orders", name: "Shop", addressPath: "OMS_MAIL_FROM")
        }
    }
}
