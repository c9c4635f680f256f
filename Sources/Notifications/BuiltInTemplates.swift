/// The templates compiled into the package (`Templates/`, embedded with
/// `.embedInCode`), by file name. SwiftPM names each embedded file after its
/// name, so every file is listed here; a test checks that the list and
/// `EmailKind` × `TemplatePart` agree.
enum BuiltInTemplates {
    static let files: [String: [UInt8]] = [
        "order.confirmed.subject.mustache": PackageResources.order_confirmed_subject_mustache,
        "order.confirmed.txt.mustache": PackageResources.order_confirmed_txt_mustache,
        "order.confirmed.html.mustache": PackageResources.order_confirmed_html_mustache,
        "order.backordered.subject.mustache": PackageResources.order_backordered_subject_mustache,
        "order.backordered.txt.mustache": PackageResources.order_backordered_txt_mustache,
        "order.backordered.html.mustache": PackageResources.order_backordered_html_mustache,
        "order.shipped.subject.mustache": PackageResources.order_shipped_subject_mustache,
        "order.shipped.txt.mustache": PackageResources.order_shipped_txt_mustache,
        "order.shipped.html.mustache": PackageResources.order_shipped_html_mustache,
        "order.delivered.subject.mustache": PackageResources.order_delivered_subject_mustache,
        "order.delivered.txt.mustache": PackageResources.order_delivered_txt_mustache,
        "order.delivered.html.mustache": PackageResources.order_delivered_html_mustache,
        "order.cancelled.subject.mustache": PackageResources.order_cancelled_subject_mustache,
        "order.cancelled.txt.mustache": PackageResources.order_cancelled_txt_mustache,
        "order.cancelled.html.mustache": PackageResources.order_cancelled_html_mustache,
        "order.return_requested.subject.mustache": PackageResources.order_return_requested_subject_mustache,
        "order.return_requested.txt.mustache": PackageResources.order_return_requested_txt_mustache,
        "order.return_requested.html.mustache": PackageResources.order_return_requested_html_mustache,
        "order.refunded.subject.mustache": PackageResources.order_refunded_subject_mustache,
        "order.refunded.txt.mustache": PackageResources.order_refunded_txt_mustache,
        "order.refunded.html.mustache": PackageResources.order_refunded_html_mustache,
        "cancel.refused.subject.mustache": PackageResources.cancel_refused_subject_mustache,
        "cancel.refused.txt.mustache": PackageResources.cancel_refused_txt_mustache,
        "cancel.refused.html.mustache": PackageResources.cancel_refused_html_mustache,
    ]
}
