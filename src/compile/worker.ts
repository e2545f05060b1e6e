/**
 * A worker thread of the build (dist/build-worker.js): compiles the batches it is sent, one at a
 * time, with json-schema-to-typescript loaded once per thread.
 */

import { parentPort } from "node:worker_threads";
import { compileBatch, type SharedInput, type TypesInput, type UnitInput } from "./compile.js";
import { compileTypes, ROOT } from "./types.js";

/** A batch sent to a worker. */
export interface BatchMessage {
  id: number;
  shared: SharedInput[];
  units: UnitInput[];
  types: TypesInput[];
}

parentPort?.on("message", (message: BatchMessage) => {
  compileBatch(message.shared, message.units, message.types, (root) => compileTypes(root, ROOT)).then(
    (out) => parentPort?.postMessage({ id: message.id, out }),
    // The message only: the CLI reports a bug in one line, never with a stack trace.
    (e: unknown) => parentPort?.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
