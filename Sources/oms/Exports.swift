// The verbs' shared pieces (CLIError, Console, Output, ServerOptions,
// ClusterLauncher…) live in CLISupport, so that the libraries behind the verbs
// (OMSBench) use them too. Exported here once rather than imported by every
// verb's file: a departure from one import per use, so that moving them out
// of this target changed no verb.
@_exported import CLISupport
