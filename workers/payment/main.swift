import WorkerRuntime

// oms-payment: consumes oms.payment; logs and acknowledges until its stage is built.
await WorkerMain.run(stage: .payment) { _, _ in PendingStageHandler() }
