import AMQPClient
import CLISupport
import Foundation
import OMSDomain
import OMSStore
import RedisClient

/// One fault's phase: stock seeded, the flow published with the fault
/// injected half way, every order waited for, then the oracle's verdict.
struct ChaosPhase {
    var flow: ChaosFlow
    var fault: ChaosFault
    var record: ChaosRecord
    var redis: any Redis
    var mailDirectory: String
    var stallLimit: Duration
    var console: Console

    func run(amqp: AMQPConnection, injector: FaultInjector) async throws -> ChaosVerdict {
        console.say("phase \(fault.rawValue): \(flow.orders) orders at \(flow.rate)/s; \(fault.promise)")
        let clean = fault == .poisonStorm ? try await cleanSeconds(amqp: amqp) : nil
        let initial = try await stock(flow)
        let started = ContinuousClock.now
        try await publishInjecting(amqp: amqp, injector: injector)
        try await waitUntilSettled(flow.ids)
        let settled = (ContinuousClock.now - started).seconds
        try await waitForAftermath(flow.ids)
        if fault == .poisonStorm { try await waitForDeadPoison() }
        let facts = try await SettledFacts.read(ids: flow.ids, initialStock: initial, redis: redis,
                                                mailDirectory: mailDirectory)
        let snapshot = record.snapshot.only(orders: Set(flow.ids), poisonOf: flow.phase)
        let pace = clean.map { ChaosOracle.pace(orders: flow.orders, poisoned: settled, clean: $0) } ?? []
        return ChaosVerdict(fault: fault, orders: snapshot.orders.count, events: snapshot.events.count,
                            seconds: (ContinuousClock.now - started).seconds, settledSeconds: settled,
                            cleanSeconds: clean,
                            violations: ChaosOracle.violations(snapshot, facts) + pace)
    }

    /// The flow (and the poison storm's malformed messages) published while
    /// the fault is injected once half the orders are confirmed. A publisher
    /// that fails ends the phase with its error, and so does the injection.
    private func publishInjecting(amqp: AMQPConnection, injector: FaultInjector) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await flow.publish(on: amqp, record: record, stallLimit: stallLimit) }
            if fault == .poisonStorm {
                group.addTask { try await flow.publishPoison(on: amqp, record: record, stallLimit: stallLimit) }
            }
            group.addTask {
                try await waitUntilHalfConfirmed()
                try await injector.inject(fault)
            }
            // Not waitForAll: it waits for the others after an error, and the
            // injection waits for a half that a failed publisher never confirms.
            for try await _ in group {}
        }
    }

    /// The flow's SKUs stocked for every order; what each was given.
    private func stock(_ flow: ChaosFlow) async throws -> [String: Int] {
        try await InventoryStore(redis: redis).set(flow.skus.map {
            StockSetting(sku: $0, available: flow.unitsPerSKU, bin: "A-01-01", reorderPoint: 0)
        })
        return Dictionary(uniqueKeysWithValues: flow.skus.map { ($0, flow.unitsPerSKU) })
    }

    /// The poison storm's yardstick, measured just before it: seconds from
    /// the first publish until every order has settled, for as many good
    /// orders on SKUs of their own with nothing beside them.
    private func cleanSeconds(amqp: AMQPConnection) async throws -> Double {
        let clean = ChaosFlow(phase: flow.phase + "-clean", orders: flow.orders, skus: flow.skus.map { $0 + "-CLEAN" },
                              rate: flow.rate, cancelEvery: flow.cancelEvery)
        _ = try await stock(clean)
        let started = ContinuousClock.now
        try await clean.publish(on: amqp, record: record, stallLimit: stallLimit)
        try await waitUntilSettled(clean.ids)
        let seconds = (ContinuousClock.now - started).seconds
        console.say("  without poison: \(clean.orders) orders settled in \(Int(seconds.rounded())) s")
        return seconds
    }

    /// Until every malformed message of the phase is in `oms.dead`, or none
    /// has arrived for `stallLimit` (the oracle then names the missing).
    private func waitForDeadPoison() async throws {
        var last = (time: ContinuousClock.now, count: -1)
        while ContinuousClock.now - last.time < stallLimit {
            let snapshot = record.snapshot.only(orders: [], poisonOf: flow.phase)
            if snapshot.deadPoison.count >= snapshot.poison.count { return }
            if snapshot.deadPoison.count != last.count { last = (.now, snapshot.deadPoison.count) }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Until what follows a settled status has caught up, or nothing has
    /// moved for `stallLimit` (the oracle then names what is missing): a
    /// worker stores a status before it publishes the event, so an order
    /// reads as settled while its last event is on its way, and on a loaded
    /// machine the checker's queue runs seconds behind; a capture that a
    /// cancel overtook is refunded after the order reads cancelled.
    private func waitForAftermath(_ ids: [String]) async throws {
        var last = (time: ContinuousClock.now, progress: -1)
        while ContinuousClock.now - last.time < stallLimit {
            let facts = try await SettledFacts.readOrdersAndPayments(ids: ids, redis: redis)
            let snapshot = record.snapshot.only(orders: Set(ids))
            if ChaosOracle.versions(snapshot, facts).isEmpty && ChaosOracle.payments(snapshot, facts).isEmpty { return }
            let progress = snapshot.events.count + facts.refunded.count
            if progress != last.progress { last = (.now, progress) }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    private func waitUntilHalfConfirmed() async throws {
        let ids = Set(flow.ids)
        while record.snapshot.orders.keys.filter(ids.contains).count < flow.orders / 2 {
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Until every one of the orders is in a settled status, failing when
    /// none settles for `stallLimit`.
    private func waitUntilSettled(_ ids: [String]) async throws {
        let orders = OrderStore(redis: redis)
        var waiting = ids
        var last = (time: ContinuousClock.now, count: waiting.count)
        while !waiting.isEmpty {
            let statuses = try await orders.statuses(orderIDs: waiting)
            waiting = zip(waiting, statuses).filter { id, state in
                state.map { !ChaosOracle.settled.contains($0.status) } ?? true
            }.map(\.0)
            if waiting.count != last.count { last = (.now, waiting.count) }
            console.progress("  \(ids.count - waiting.count)/\(ids.count) settled")
            if ContinuousClock.now - last.time > stallLimit {
                console.endProgress()
                throw CLIError("\(waiting.count) orders of phase \(fault.rawValue) did not settle in \(stallLimit), "
                    + "e.g. \(waiting[0]); see the workers' logs and `oms dlq list`")
            }
            if !waiting.isEmpty { try await Task.sleep(for: .milliseconds(500)) }
        }
        console.endProgress()
    }
}

extension ChaosRecord.State {
    /// The part of the record about these orders.
    func only(orders ids: Set<String>, poisonOf phase: String = "") -> ChaosRecord.State {
        var part = ChaosRecord.State()
        let marker = "poison-\(phase)-"
        part.poison = phase.isEmpty ? [] : poison.filter { $0.hasPrefix(marker) }
        part.deadPoison = phase.isEmpty ? [:] : deadPoison.filter { $0.key.hasPrefix(marker) }
        part.orders = orders.filter { ids.contains($0.key) }
        part.cancels = cancels.intersection(ids)
        let skus = Set(part.orders.values.flatMap { $0.map(\.sku) })
        part.restocked = restocked.filter { skus.contains($0.key) }
        part.events = events.filter { ids.contains($0.orderID) }
        return part
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
