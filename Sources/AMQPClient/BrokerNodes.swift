/// Which of the broker's nodes a connection uses: the first that answers
/// when it opens, then, after each loss or failed attempt, the next one
/// round the list, so a dead node is left at once for a live one.
struct BrokerNodes: Equatable {
    let urls: [AMQPURL]
    private(set) var current = 0

    init(_ urls: [AMQPURL]) {
        self.urls = urls
    }

    var url: AMQPURL { urls[current] }

    mutating func advance() {
        current = (current + 1) % urls.count
    }
}
