import WorkerRuntime

// oms-pick: consumes oms.pick; logs and acknowledges until its stage is built.
await WorkerMain.run(stage: .pick) { _, _ in PendingStageHandler() }
