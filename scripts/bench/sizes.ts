/**
 * The sizes of what a build writes, for `npm run bench` (scripts/bench/index.ts): types and
 * validator code per event, raw and gzipped, the largest modules, and ajv's own standalone output for
 * the same events with the build's options (what each module would hold without the shared
 * definitions' code emitted once).
 */

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import standaloneModule from "ajv/dist/standalone/index.js";
import { createAjvSet } from "../../src/schema/ajv.js";
import type { EventsJsonEntry } from "./throughput.js";

type Standalone = typeof import("ajv/dist/standalone/index.js").default;
const standaloneCode: Standalone =
  (standaloneModule as unknown as { default?: Standalone }).default ?? (standaloneModule as unknown as Standalone);

/** The sizes of an output folder of `size` events. */
export function outputSizes(out: string, size: number): Record<string, unknown> {
  const files = filesUnder(out);
  const types = bytes(files, isDeclarations);
  const validators = bytes(files, (f) => f.includes(`${path.sep}validators${path.sep}`));
  // Each entry's .d.cts is its .d.ts again (one per module format): counted once.
  const all = bytes(files, (f) => (isDeclarations(f) || !f.endsWith(".d.cts")) && !f.endsWith("events.json"));
  const modules = bytes(files, (f) => /\.(c|m)?js$/.test(f));
  return {
    typesPerEventKB: types.raw / size / 1024,
    validatorsPerEventKB: validators.raw / size / 1024,
    validatorsPerEventGzKB: validators.gz / size / 1024,
    packagePerEventGzKB: all.gz / size / 1024,
    largestModuleKB: modules.largest / 1024,
    largestModule: path.relative(out, modules.largestFile),
    largestDtsKB: types.largest / 1024,
  };
}

/**
 * The declarations, once each: the entries' .d.ts and the shared types/*.d.cts they re-export (an
 * entry's .d.cts is the same text as its .d.ts, for CommonJS importers).
 */
function isDeclarations(f: string): boolean {
  return f.endsWith(".d.ts") || (f.includes(`${path.sep}types${path.sep}`) && f.endsWith(".d.cts"));
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

/** Bytes of the files matching `keep`, raw and gzipped (each file on its own, as a registry or a disk would). */
export function bytes(files: string[], keep: (f: string) => boolean): { raw: number; gz: number; largest: number; largestFile: string } {
  let raw = 0;
  let gz = 0;
  let largest = 0;
  let largestFile = "";
  for (const f of files.filter(keep)) {
    const b = readFileSync(f);
    raw += b.length;
    gz += gzipSync(b).length;
    if (b.length > largest) {
      largest = b.length;
      largestFile = f;
    }
  }
  return { raw, gz, largest, largestFile };
}

/** Mean bytes of ajv's standalone module per event, with the build's options (src/schema/ajv.ts). */
export function ajvStandalonePerEvent(entries: EventsJsonEntry[]): number {
  const ajv = createAjvSet({ allErrors: false, source: true });
  let total = 0;
  for (const e of entries) {
    const dialect = String((e.schema as Record<string, unknown>).$schema).includes("draft-07") ? "draft-07" : "2020-12";
    total += standaloneCode(ajv[dialect], ajv[dialect].compile(e.schema)).length;
  }
  return total / entries.length;
}
