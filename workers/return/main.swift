import WorkerRuntime

// oms-return: consumes oms.return; logs and acknowledges until its stage is built.
await WorkerMain.run(stage: .`return`) { _, _ in PendingStageHandler() }
