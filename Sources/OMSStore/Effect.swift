/// The names of the effect markers in `oms:order:{ID}:effects`, once.
public enum Effect {
    /// oms-payment took the money; the value is the gateway's capture id.
    public static let charge = "charge"
    /// oms-payment is about to call the gateway: a copy killed after the
    /// gateway took the money and before `charge` was written leaves this.
    public static let chargeAttempt = "charge.attempted"
    /// oms-payment gave money back; the value is the gateway's refund id.
    public static let refund = "refund"
    /// oms-ship bought the label; the value is the tracking number.
    public static let label = "label"
    /// oms-ship bought the label of one parcel of a split order; the value is its tracking number.
    public static func label(parcel: Int) -> String { parcelLabelPrefix + "\(parcel)" }
    /// What every parcel's label marker begins with.
    public static let parcelLabelPrefix = "label:"
    /// The carrier delivered this parcel of a split order; the value is when.
    public static func delivered(tracking: String) -> String { "delivered:\(tracking)" }
    /// oms-ship began buying the label of a picked order (a claim written only
    /// while the order is picked): from then on a cancel is refused.
    public static let labelClaim = "label.claimed"

    /// oms-notify's email for one event was accepted by the SMTP server; the
    /// value is its Message-ID.
    public static func email(_ eventType: String) -> String { "email:\(eventType)" }
}
