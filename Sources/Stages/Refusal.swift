/// Why a message can never be handled as it is: the dead letter's reason,
/// thrown by a decision for its handler to dead-letter.
struct Refusal: Error {
    let reason: String
}
