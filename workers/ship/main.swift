import WorkerRuntime

// oms-ship: consumes oms.ship; logs and acknowledges until its stage is built.
await WorkerMain.run(stage: .ship) { _, _ in PendingStageHandler() }
