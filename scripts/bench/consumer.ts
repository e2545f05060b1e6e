/**
 * A consumer's type-check for `npm run bench` (scripts/bench/index.ts): `tsc --noEmit` over a file
 * that switches over the package's DomainEvent union and narrows with EventOf, against a built
 * output folder, with and without --skipLibCheck.
 */

import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EventsJsonEntry } from "./throughput.js";
import { ok, ROOT, repeat, timed } from "./timed.js";

const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** A consumer's tsc --noEmit over a file that switches over DomainEvent. */
export async function consumerTsc(dir: string, entries: EventsJsonEntry[], runs: number): Promise<Record<string, unknown>> {
  const project = path.join(dir, "consumer");
  await rm(project, { recursive: true, force: true });
  await mkdir(project, { recursive: true });
  const cases = entries
    .slice(0, 50)
    .map((e) => `    case ${JSON.stringify(e.type)}:\n      return e.data === undefined ? 0 : 1;`)
    .join("\n");
  await writeFile(
    path.join(project, "consumer.ts"),
    `import type { DomainEvent, EventOf, EventType } from "../out/index.js";
import { validate } from "../out/index.js";

export function handle(e: DomainEvent): number {
  switch (e.type) {
${cases}
    default:
      return 2;
  }
}

export function typed<T extends EventType>(type: T, value: unknown): EventOf<T> | undefined {
  const r = validate(value);
  return r.ok && r.event.type === type ? (r.event as EventOf<T>) : undefined;
}
`,
  );
  // `types: []`: the consumer's own @types packages (here, the repository's) are not ours to time.
  const compilerOptions = { noEmit: true, strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", types: [] };
  await writeFile(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.ts"] }));
  const tsc = (skipLibCheck: boolean) =>
    ok(timed(process.execPath, [TSC, "-p", "tsconfig.json", ...(skipLibCheck ? ["--skipLibCheck"] : [])], project), "tsc");
  return {
    tscSkipLibCheckMs: repeat(runs, () => tsc(true)).ms,
    tscFullMs: repeat(runs, () => tsc(false)).ms,
  };
}
