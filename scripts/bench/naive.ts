/**
 * The naive pipeline, the baseline of the benchmarks: what one would write without our build.
 *
 * - Types: json-schema-to-typescript's `compile()` once per event file, with its default options
 *   (only `cwd`, so that relative `$ref`s resolve from the file's folder), the outputs concatenated
 *   into `<out>/naive/index.d.ts`. Shared definitions are inlined into every file that uses them,
 *   and nothing is deduplicated: the concatenation is what it costs, not a usable module.
 * - Validators: one Ajv2020 instance (strict, ajv-formats, `code.source`), every shared file and
 *   every event added with an `$id` derived from its path (`https://bench.invalid/<path>`), each
 *   event compiled, then ajv's standalone code for all events as one module,
 *   `<out>/naive/validators.cjs`, exporting one validator per event type.
 *
 *   npx tsx scripts/bench/naive.ts --events DIR --out DIR
 */

import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { AnySchemaObject } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneModule from "ajv/dist/standalone/index.js";
import addFormatsModule from "ajv-formats";
import { glob } from "glob";
import { compile } from "json-schema-to-typescript";

type FormatsPlugin = typeof import("ajv-formats").default;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);
type Standalone = typeof import("ajv/dist/standalone/index.js").default;
const standaloneCode: Standalone =
  (standaloneModule as unknown as { default?: Standalone }).default ?? (standaloneModule as unknown as Standalone);

/** What the naive build took and wrote. */
export interface NaiveResult {
  /** Wall time of the whole build (read, types, validators, write), in milliseconds. */
  ms: number;
  /** Bytes of `naive/index.d.ts`. */
  typesBytes: number;
  /** Bytes of `naive/validators.cjs`. */
  validatorBytes: number;
  /** Event files built. */
  files: number;
  /** Of `ms`: json-schema-to-typescript over every event. */
  typesMs: number;
  /** Of `ms`: ajv (add, compile) and the standalone code. */
  validatorsMs: number;
}

/** The base of the `$id`s given to the schemas (`.invalid` never resolves). */
const ID_BASE = "https://bench.invalid/";

/** The event files of a tree: `<system>/<topic>/<event>.json`, outside `_` folders. */
function isEventFile(rel: string): boolean {
  const parts = rel.split("/");
  return parts.length === 3 && !parts.some((p) => p.startsWith("_"));
}

/** `<system>.<topic>.<event>.v<N>` of an event file. */
function typeOf(rel: string): string {
  const [system, topic, file] = rel.split("/") as [string, string, string];
  const m = /^(.*?)(?:\.v([0-9]+))?\.json$/.exec(file) as RegExpExecArray;
  return `${system}.${topic}.${m[1]}.v${m[2] ?? "1"}`;
}

/** PascalCase of a file name, for the name json-schema-to-typescript falls back on without a title. */
function pascalName(rel: string): string {
  return path.posix
    .basename(rel, ".json")
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}

/** Builds types and validators the naive way from `eventsDir` into `<outDir>/naive/`. */
export async function naiveBuild(eventsDir: string, outDir: string): Promise<NaiveResult> {
  const started = performance.now();
  const root = path.resolve(eventsDir);
  const rels = (await glob("**/*.json", { cwd: root, posix: true, nodir: true })).sort();
  const shared = rels.filter((rel) => rel.split("/").some((p) => p.startsWith("_")));
  const events = rels.filter(isEventFile);
  const schemas = new Map<string, AnySchemaObject>();
  for (const rel of [...shared, ...events]) schemas.set(rel, JSON.parse(await readFile(path.join(root, rel), "utf8")));

  const typesStarted = performance.now();
  const declarations: string[] = [];
  for (const rel of events) {
    // compile() may annotate the schema it is given: a copy keeps ours as read.
    const schema = structuredClone(schemas.get(rel)!);
    declarations.push(await compile(schema as never, pascalName(rel), { cwd: path.dirname(path.join(root, rel)) }));
  }
  const types = declarations.join("\n");
  const typesMs = performance.now() - typesStarted;

  const validatorsStarted = performance.now();
  const ajv = new Ajv2020({ strict: true, code: { source: true } });
  addFormats(ajv);
  for (const rel of [...shared, ...events]) ajv.addSchema({ ...structuredClone(schemas.get(rel)!), $id: ID_BASE + rel });
  const refs: Record<string, string> = {};
  for (const rel of events) {
    ajv.getSchema(ID_BASE + rel);
    refs[typeOf(rel)] = ID_BASE + rel;
  }
  const validators = standaloneCode(ajv, refs);
  const validatorsMs = performance.now() - validatorsStarted;

  const dir = path.join(path.resolve(outDir), "naive");
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "index.d.ts"), types);
  await writeFile(path.join(dir, "validators.cjs"), validators);
  return {
    ms: performance.now() - started,
    typesBytes: Buffer.byteLength(types),
    validatorBytes: Buffer.byteLength(validators),
    files: events.length,
    typesMs,
    validatorsMs,
  };
}

async function cli(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: "string" }, out: { type: "string" } }, strict: true });
  if (values.events === undefined || values.out === undefined) {
    process.stderr.write("usage: npx tsx scripts/bench/naive.ts --events DIR --out DIR\n");
    process.exitCode = 2;
    return;
  }
  const result = await naiveBuild(values.events, values.out);
  const round = (n: number) => Math.round(n);
  process.stdout.write(
    `${JSON.stringify({ ...result, ms: round(result.ms), typesMs: round(result.typesMs), validatorsMs: round(result.validatorsMs) }, null, 2)}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli().catch((e: unknown) => {
    process.stderr.write(`naive: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
