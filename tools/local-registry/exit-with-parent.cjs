// Preloaded into Verdaccio by test/support/registry.ts (`node --require`): the registry exits as
// soon as the test process that started it goes away, even when that process is killed before its
// stop() runs (Ctrl-C, a crashed or timed-out vitest worker). The IPC channel closes with the parent.
if (process.connected) {
  process.on("disconnect", () => process.exit(0));
}
