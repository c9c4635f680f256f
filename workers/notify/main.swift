import WorkerRuntime

// oms-notify: consumes oms.notify; logs and acknowledges until its stage is built.
await WorkerMain.run(stage: .notify) { _, _ in PendingStageHandler() }
