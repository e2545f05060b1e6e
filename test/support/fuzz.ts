/**
 * The fuzzing harness's engine (test/fuzz.test.ts, test/fuzz-runtime.test.ts): a small, seeded
 * mutation model over real events trees, the oracle every mutated tree is judged by, and the
 * hostile values the runtime is fed.
 *
 * A mutation is plain data (printable, replayable, shrinkable by fast-check): it names what to do
 * and where by indices that are taken modulo what is there when it is applied, so that any list of
 * mutations applies to any tree, deterministically (files are visited in sorted order). Three kinds:
 * - content: a JSON value replaced, inserted or deleted, a key renamed, a type swapped, any string
 *   (key or value) replaced by a hostile one: comment and string terminators, line separators,
 *   NUL, very long strings, nesting near the limits, `$ref`s to odd places, keywords, `__proto__`;
 * - names: a path part renamed to a hostile name (one holding `/` spells several folders, which is
 *   how `*\/ code /*` gets into a path), a small schema planted under such a path, a folder added,
 *   a file dropped, a file replaced by a symbolic link;
 * - bytes: a file truncated, a byte flipped, invalid UTF-8 or hidden characters inserted.
 *
 * The mutations that try to run code set `globalThis.__deFuzzCanary`: the oracle asserts it stays
 * unset after check, build, and calls into the built validators.
 */

import { cp, lstat, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import fc from "fast-check";
import { build as pipelineBuild, check as pipelineCheck } from "../../src/pipeline.js";
import { KNOWN_KEYWORDS, TS_KEYWORDS } from "../../src/schema/walk.js";
import { cliInProcess, envelope, ROOT } from "../helpers.js";

/** The global a successful injection sets. */
export const CANARY = "__deFuzzCanary";
const DOLLAR_BRACE = "$" + "{";

/** Strings that end a comment, a string or a template in generated JS, each followed by code that sets the canary. */
export const INJECTIONS: readonly string[] = [
  "*/globalThis.__deFuzzCanary=1;/*",
  '"+(globalThis.__deFuzzCanary=1)+"',
  "'+(globalThis.__deFuzzCanary=1)+'",
  "`+(globalThis.__deFuzzCanary=1)+`",
  `${DOLLAR_BRACE}globalThis.__deFuzzCanary=1}`,
  "\u2028globalThis.__deFuzzCanary=1;//",
  "\nglobalThis.__deFuzzCanary=1;//",
  "*/}});globalThis.__deFuzzCanary=1;((function(){/*",
  '\\"+(globalThis.__deFuzzCanary=1)+\\"',
  "</script><script>globalThis.__deFuzzCanary=1</script>",
];

/** Other strings that break naive code: terminators alone, separators, NUL, lone surrogates, long text. */
export const HOSTILE_STRINGS: readonly string[] = [
  ...INJECTIONS,
  "*/",
  "/*",
  '"',
  "'",
  "`",
  DOLLAR_BRACE,
  "\\",
  "\u2028",
  "\u2029",
  "\u0000",
  "\ud800",
  "\u0085",
  "\u202e",
  "\u200b",
  "",
  " ",
  "#",
  "%",
  "__proto__",
  "constructor",
  "a".repeat(100_000),
  "*/".repeat(1_000),
];

/**
 * Keys with a meaning somewhere in the pipeline: every keyword the build knows in either dialect
 * (the project's own list, so that a new keyword is fuzzed too), the escape hatches it refuses, and
 * prototype members and JavaScript words.
 */
export const KEYS: readonly string[] = [
  ...new Set([...KNOWN_KEYWORDS["2020-12"], ...KNOWN_KEYWORDS["draft-07"], ...TS_KEYWORDS]),
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "class",
  "delete",
  "function",
  "return",
  "await",
  "export",
  "import",
  "new",
  "this",
  "null",
  "true",
  "eval",
  "arguments",
];

/** `$ref` targets: local, odd pointers, outside the tree, remote, and injections. */
export const REFS: readonly string[] = [
  "#",
  "#/",
  "#/$defs/x",
  "#/properties",
  "#/examples/0",
  "#/$defs/a~1b",
  "#/%24defs",
  "#x",
  "../../_shared/money.json",
  "../../_shared/money.json#/$defs/currencyCode",
  "../_shared/money.json",
  "_shared/money.json",
  "./order-placed.json",
  "order-placed.json#/properties/total",
  "../../../../package.json",
  "/etc/passwd",
  "file:///etc/passwd",
  "http://127.0.0.1:9/x.json",
  "urn:x",
  ".",
  "..",
  "x.json#",
  "*/globalThis.__deFuzzCanary=1;/*",
  '"+(globalThis.__deFuzzCanary=1)+".json',
  "https://domain-events.invalid/_shared/money.json",
];

/** Folder and file names: kebab-case breakers, reserved words, and injections spread over folders. */
export const NAMES: readonly string[] = [
  "a*/globalThis.__deFuzzCanary=1;/*b",
  "a*/globalThis.__deFuzzCanary=1;/*b/_c",
  "_x*/globalThis.__deFuzzCanary=1;/*y",
  "x/_s*/globalThis.__deFuzzCanary=1;/*",
  '"+(globalThis.__deFuzzCanary=1)+"',
  "'+(globalThis.__deFuzzCanary=1)+'",
  `${DOLLAR_BRACE}globalThis.__deFuzzCanary=1}`,
  "a\u2028globalThis.__deFuzzCanary=1;//",
  "__proto__",
  "constructor",
  "_shared",
  "_",
  "_a",
  ".hidden",
  "UPPER",
  "with space",
  "class",
  "x.v0",
  "x.v1",
  "x.v2",
  "x.v02",
  "-",
  "a--b",
  "é",
  "node_modules",
  "system",
  "z".repeat(200),
];

/** Byte sequences to insert: invalid UTF-8, a BOM, NUL, hidden characters. */
export const BYTES: readonly (readonly number[])[] = [
  [0xff],
  [0x80],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xef, 0xbb, 0xbf],
  [0x00],
  [0xe2, 0x80, 0xa8],
  [0xc2, 0x85],
  [0xe2, 0x80, 0xae],
  [0xe3, 0x85, 0xa4],
  [0x22],
  [0x7b],
];

/** Nested arrays and objects `depth` levels deep: near the 64-level limit, data or schema. */
function deep(depth: number, schema: boolean): unknown {
  let v: unknown = schema ? { type: "string" } : "x";
  for (let i = 0; i < depth; i++) v = schema ? { type: "array", items: v } : i % 2 === 0 ? [v] : { a: v };
  return v;
}

/** Values put into a schema: hostile strings, refs, small schemas, deep and wide values, random JSON. */
export const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...REFS).map((ref) => ({ $ref: ref })) },
  { weight: 1, arbitrary: fc.constantFrom(...REFS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      { type: "string", pattern: "^(a+)+$" },
      { type: "string", pattern: "^(a|a)*\\1$" },
      { type: "object", additionalProperties: false, properties: { anyOf: { type: "string" } } },
      { $ref: "#", type: "object" },
      { anyOf: [{ $ref: "#" }] },
      { $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } } },
      { const: { $ref: "#/nowhere" } },
      { default: { anyOf: [1], $ref: "x" } },
      { enum: [{ $ref: "#" }, { allOf: [] }] },
      [{ $ref: "#" }],
      { type: ["string", "null"] },
      { type: "nothing" },
      { format: "email" },
      { format: "no-such-format" },
      { tsType: "any" },
      1e308,
      -0,
      2 ** 53 + 1,
      0.1,
      null,
      true,
      [],
      {},
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 58, max: 70 }).chain((d) => fc.boolean().map((s) => deep(d, s))) },
  { weight: 1, arbitrary: fc.constantFrom(999, 1001).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Keys put into a schema. */
export const keyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 2, arbitrary: fc.constantFrom(...INJECTIONS, "*/", '"', "\u2028", "\u0000", "a".repeat(5_000)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

/** One change to a tree. Indices are taken modulo what is there (see the header). */
export type Mutation =
  | { kind: "set"; file: number; at: number; key: string; value: unknown }
  | { kind: "replace"; file: number; at: number; member: number; value: unknown }
  | { kind: "delete"; file: number; at: number; member: number }
  | { kind: "rename-key"; file: number; at: number; member: number; key: string }
  | { kind: "insert-item"; file: number; at: number; index: number; value: unknown }
  | { kind: "swap-type"; file: number; at: number; member: number }
  | { kind: "string"; file: number; at: number; value: string }
  | { kind: "rename-path"; file: number; part: number; name: string }
  | { kind: "plant"; folders: string[]; name: string; template: number; id?: string }
  | { kind: "add-folder"; folders: string[]; note: boolean }
  | { kind: "drop"; file: number }
  | { kind: "symlink"; file: number; target: number }
  | { kind: "truncate"; file: number; at: number }
  | { kind: "flip"; file: number; at: number; mask: number }
  | { kind: "insert-bytes"; file: number; at: number; bytes: readonly number[] };

const file = fc.nat({ max: 1_000 });
const at = fc.nat({ max: 10_000 });

/** Every kind of mutation, with weights that favour content changes (the bulk of a tree is content). */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("set" as const), file, at, key: keyArb, value: valueArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("replace" as const), file, at, member: at, value: valueArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), file, at, member: at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rename-key" as const), file, at, member: at, key: keyArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("insert-item" as const), file, at, index: at, value: valueArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("swap-type" as const), file, at, member: at }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("string" as const), file, at, value: fc.constantFrom(...HOSTILE_STRINGS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rename-path" as const), file, part: at, name: fc.constantFrom(...NAMES) }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant("plant" as const),
        folders: fc.array(fc.constantFrom(...NAMES, "shop", "order", "_shared"), { minLength: 0, maxLength: 3 }),
        name: fc.constantFrom("_x.json", "x.json", "order-x.json", "system.json", "_x*/globalThis.__deFuzzCanary=1;/*y.json"),
        template: fc.nat({ max: 3 }),
        id: fc.constantFrom(...INJECTIONS),
      },
      { requiredKeys: ["kind", "folders", "name", "template"] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("add-folder" as const),
      folders: fc.array(fc.constantFrom(...NAMES, "shop"), { minLength: 1, maxLength: 3 }),
      note: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), file }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("symlink" as const), file, target: fc.nat({ max: 1_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), file, at }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("flip" as const), file, at, mask: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("insert-bytes" as const), file, at, bytes: fc.constantFrom(...BYTES) }) },
);

/**
 * Small schemas planted by `plant`: every one has examples, so that ajv compiles it and runs its
 * code during check (a shared file is compiled even when nothing refers to it).
 */
function template(n: number): Record<string, unknown> {
  const base = { title: "Planted", description: "A planted schema.", type: "object", additionalProperties: false };
  switch (n % 4) {
    case 0:
      return { ...base, properties: { a: { type: "string" } }, examples: [{ a: "x" }] };
    case 1:
      return { ...base, properties: { a: { $ref: "#/$defs/b" } }, $defs: { b: { type: "integer" } }, examples: [{ a: 1 }] };
    case 2:
      return { ...base, properties: { a: { enum: ["x", "y"] } }, required: ["a"], examples: [{ a: "x" }, { a: "z" }] };
    default:
      return { ...base, properties: {}, examples: [{}] };
  }
}

/** Every file and symbolic link under `dir` (relative, forward slashes, sorted). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((d) => d.isFile() || d.isSymbolicLink())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join("/"))
    .sort();
}

/** Every object of a JSON value, depth first (the root first). */
export function objectsIn(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const v of value) objectsIn(v, out);
  else if (typeof value === "object" && value !== null) {
    out.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) objectsIn(v, out);
  }
  return out;
}

/** Every array of a JSON value, depth first. */
function arraysIn(value: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(value)) out.push(value);
  if (typeof value === "object" && value !== null) for (const v of Object.values(value)) arraysIn(v, out);
  return out;
}

/** Sets an own enumerable key, `__proto__` included (plain assignment would change the prototype). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The same value as another JSON type: "x" → ["x"], 1 → "1", {…} → [{…}], [a] → a, null → {}. */
function swapType(v: unknown): unknown {
  if (typeof v === "string") return [v];
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return {};
  if (Array.isArray(v)) return v.length > 0 ? v[0] : null;
  return [v];
}

/** Applies one content mutation to a parsed JSON document (in place, the root may be replaced). */
function mutateJson(doc: unknown, m: Mutation): unknown {
  const objects = objectsIn(doc);
  const target = objects[(m as { at: number }).at % Math.max(objects.length, 1)];
  const keyAt = (member: number) => {
    const keys = target ? Object.keys(target) : [];
    return keys.length > 0 ? (keys[member % keys.length] as string) : undefined;
  };
  switch (m.kind) {
    case "set":
      if (target) define(target, m.key, m.value);
      return doc;
    case "replace": {
      const key = keyAt(m.member);
      if (target && key !== undefined) define(target, key, m.value);
      return doc;
    }
    case "delete": {
      const key = keyAt(m.member);
      if (target && key !== undefined) delete target[key];
      return doc;
    }
    case "rename-key": {
      const key = keyAt(m.member);
      if (!target || key === undefined) return doc;
      const value = target[key];
      delete target[key];
      define(target, m.key, value);
      return doc;
    }
    case "swap-type": {
      const key = keyAt(m.member);
      if (target && key !== undefined) define(target, key, swapType(target[key]));
      return doc;
    }
    case "insert-item": {
      const arrays = arraysIn(doc);
      const array = arrays[m.at % Math.max(arrays.length, 1)];
      if (array) array.splice(m.index % (array.length + 1), 0, m.value);
      return doc;
    }
    case "string":
      return replaceString(doc, m.at, m.value);
    default:
      return doc;
  }
}

/** Replaces the `n`-th string of a document (keys and values, in order; modulo their count) by `value`. */
function replaceString(doc: unknown, n: number, value: string): unknown {
  const count = countStrings(doc);
  if (count === 0) return doc;
  let left = n % count;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return left-- === 0 ? value : v;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== "object" || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      const key = left-- === 0 ? value : k;
      define(out, key, walk(child));
    }
    return out;
  };
  return walk(doc);
}

function countStrings(v: unknown): number {
  if (typeof v === "string") return 1;
  if (Array.isArray(v)) return v.reduce((n: number, c) => n + countStrings(c), 0);
  if (typeof v !== "object" || v === null) return 0;
  return Object.entries(v).reduce((n, [, c]) => n + 1 + countStrings(c), 0);
}

/** Applies mutations in order to the tree under `events`; a mutation that cannot apply does nothing. */
export async function applyMutations(events: string, mutations: readonly Mutation[]): Promise<void> {
  for (const m of mutations) {
    const files = await listFiles(events);
    try {
      await applyOne(events, files, m);
    } catch (e) {
      // A name the file system refuses (too long, taken): the mutation is a no-op, deterministically.
      const code = (e as { code?: string }).code;
      if (!["ENAMETOOLONG", "EEXIST", "ENOTDIR", "EISDIR", "ENOENT", "ENOTEMPTY"].includes(code ?? "")) throw e;
    }
  }
}

async function applyOne(events: string, files: readonly string[], m: Mutation): Promise<void> {
  const pick = (n: number) => (files.length > 0 ? (files[n % files.length] as string) : undefined);
  switch (m.kind) {
    case "rename-path": {
      const rel = pick(m.file);
      if (!rel) return;
      const parts = rel.split("/");
      const i = m.part % parts.length;
      parts[i] = i === parts.length - 1 ? `${m.name}.json` : m.name;
      const to = path.join(events, ...parts.join("/").split("/"));
      await mkdir(path.dirname(to), { recursive: true });
      await rename(path.join(events, rel), to);
      return;
    }
    case "plant": {
      const to = path.join(events, ...[...m.folders, m.name].join("/").split("/"));
      await mkdir(path.dirname(to), { recursive: true });
      const schema = template(m.template);
      if (m.id !== undefined) schema.$id = m.id;
      await writeFile(to, JSON.stringify(schema, null, 2));
      return;
    }
    case "add-folder": {
      const dir = path.join(events, ...m.folders.join("/").split("/"));
      await mkdir(dir, { recursive: true });
      if (m.note) await writeFile(path.join(dir, "notes.txt"), "not a schema\n");
      return;
    }
    case "drop": {
      const rel = pick(m.file);
      if (rel) await rm(path.join(events, rel), { force: true });
      return;
    }
    case "symlink": {
      const rel = pick(m.file);
      if (!rel) return;
      const full = path.join(events, rel);
      const targets = [...files.map((f) => path.join(events, f)), path.join(ROOT, "package.json"), "/etc/hostname", events];
      const target = targets[m.target % targets.length] as string;
      await rm(full, { force: true });
      await symlink(path.relative(path.dirname(full), target) || ".", full);
      return;
    }
    case "truncate":
    case "flip":
    case "insert-bytes": {
      const rel = pick(m.file);
      if (!rel || (await lstat(path.join(events, rel))).isSymbolicLink()) return;
      const bytes = await readFile(path.join(events, rel));
      await writeFile(path.join(events, rel), mutateBytes(bytes, m));
      return;
    }
    default: {
      const rel = pick(m.file);
      if (!rel || (await lstat(path.join(events, rel))).isSymbolicLink()) return;
      let doc: unknown;
      try {
        doc = JSON.parse(await readFile(path.join(events, rel), "utf8"));
      } catch {
        return;
      }
      await writeFile(path.join(events, rel), JSON.stringify(mutateJson(doc, m), null, 2));
    }
  }
}

function mutateBytes(bytes: Buffer, m: Mutation & { kind: "truncate" | "flip" | "insert-bytes" }): Buffer {
  const at = m.at % (bytes.length + 1);
  if (m.kind === "truncate") return bytes.subarray(0, at);
  if (m.kind === "flip") {
    const copy = Buffer.from(bytes);
    if (copy.length > 0) copy[at % copy.length] = (copy[at % copy.length] as number) ^ m.mask;
    return copy;
  }
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
}

/** A line of a stack trace, as Node prints it. */
const STACK_LINE = /^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/m;

/** What a CLI run printed, with the JSON report parsed when stdout held one. */
interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  report?: { ok: boolean; diagnostics: { code: string; hint?: string; file: string; message: string }[] };
}

async function runCli(args: string[]): Promise<CliRun> {
  const r = await cliInProcess(args);
  let report: CliRun["report"];
  try {
    report = JSON.parse(r.stdout);
  } catch {
    report = undefined;
  }
  return { ...r, report };
}

/** What is wrong with one CLI run of a tree (empty when nothing is). */
function judgeCli(label: string, r: CliRun): string[] {
  const problems: string[] = [];
  const text = `${r.stdout}\n${r.stderr}`;
  if (![0, 1].includes(r.code))
    problems.push(`${label}: exit ${r.code} for a tree (a tree problem is exit 1): ${r.stderr.trim().slice(0, 400)}`);
  if (/internal error/i.test(text)) problems.push(`${label}: "internal error" in the output`);
  if (STACK_LINE.test(text)) problems.push(`${label}: a stack trace in the output`);
  if (r.code !== 2 && !r.report) problems.push(`${label}: stdout is not the JSON report`);
  if (r.report && r.report.ok !== (r.code === 0)) problems.push(`${label}: ok is ${r.report.ok} but the exit code is ${r.code}`);
  for (const d of r.report?.diagnostics ?? [])
    if (typeof d.hint !== "string" || d.hint.trim() === "") problems.push(`${label}: ${d.code} has no hint (${d.message.slice(0, 120)})`);
  return problems;
}

function canarySet(): boolean {
  return (globalThis as Record<string, unknown>)[CANARY] !== undefined;
}

function errorCodes(diagnostics: readonly { code: string; severity?: string }[]): string {
  return [...new Set(diagnostics.filter((d) => d.severity !== "warning").map((d) => d.code))].sort().join(",");
}

/**
 * Everything the oracle asserts of one tree, as a list of violations (empty: the tree passed).
 * `run` is a scratch folder for the build's output and the cache.
 */
export async function judgeTree(events: string, run: string, options: { cacheTwice: boolean }): Promise<string[]> {
  const problems: string[] = [];
  delete (globalThis as Record<string, unknown>)[CANARY];
  const canary = (when: string) => {
    if (canarySet()) problems.push(`code from the tree ran (globalThis.${CANARY} set) during ${when}`);
    delete (globalThis as Record<string, unknown>)[CANARY];
  };

  const checked = await runCli(["check", "--events", events, "--no-cache", "--format", "json"]);
  problems.push(...judgeCli("check", checked));
  const verdict = `check exit ${checked.code} [${checked.report ? errorCodes(checked.report.diagnostics as { code: string; severity?: string }[]) : ""}]`;
  canary("check");

  const out = path.join(run, "out");
  const built = await runCli(["build", "--events", events, "--no-cache", "--out", out, "--format", "json"]);
  problems.push(...judgeCli("build", built));
  canary("build");
  if (checked.code === 0 && built.code !== 0) {
    const codes = built.report ? errorCodes(built.report.diagnostics as { code: string; severity?: string }[]) : built.stderr.trim();
    problems.push(`check passed (exit 0) but build exited ${built.code}: ${codes.slice(0, 400)}`);
  }

  if (options.cacheTwice) {
    // The library with a cache of its own, cold then warm: the same verdict as without a cache.
    const cacheDir = path.join(run, "cache");
    for (const pass of ["cold", "warm"]) {
      try {
        const r = await pipelineCheck({ eventsDir: events, cacheDir, workers: 0 });
        canary(`check with a ${pass} cache`);
        const codes = errorCodes(r.diagnostics);
        const expected = checked.report ? errorCodes(checked.report.diagnostics as { code: string; severity?: string }[]) : undefined;
        if (r.ok !== (checked.code === 0) || (expected !== undefined && codes !== expected))
          problems.push(`check with a ${pass} cache says ok=${r.ok} [${codes}], without a cache exit ${checked.code} [${expected}]`);
        for (const d of r.diagnostics) if (!d.hint?.trim()) problems.push(`check (library, ${pass} cache): ${d.code} has no hint`);
      } catch (e) {
        problems.push(`check (library, ${pass} cache) threw: ${String((e as Error)?.message ?? e).slice(0, 300)}`);
      }
    }
    try {
      const r = await pipelineBuild({ eventsDir: events, cacheDir, workers: 0 });
      canary("build with a warm cache");
      if (r.ok !== (built.code === 0)) problems.push(`build with a warm cache says ok=${r.ok}, without a cache exit ${built.code}`);
    } catch (e) {
      problems.push(`build (library, warm cache) threw: ${String((e as Error)?.message ?? e).slice(0, 300)}`);
    }
  }

  if (built.code === 0) problems.push(...(await judgeOutput(events, out)));
  canary("calls into the built validators");
  return problems.length > 0 ? [verdict, ...problems] : problems;
}

/**
 * The examples of an event type, from its file in the tree `events` (events.json does not carry
 * them); none when the file is gone or is not JSON.
 */
export async function examplesOf(events: string, type: string): Promise<unknown[]> {
  const [system, topic, event, v] = type.split(".");
  const version = Number(v?.slice(1));
  const file = path.join(events, `${system}/${topic}/${event}${version > 1 ? `.v${version}` : ""}.json`);
  try {
    const schema = JSON.parse(await readFile(file, "utf8")) as { examples?: unknown };
    return Array.isArray(schema.examples) ? schema.examples : [];
  } catch {
    return [];
  }
}

/** Loads the built package from `out` and calls its validators on each event's examples and a few hostile values. */
async function judgeOutput(events: string, out: string): Promise<string[]> {
  const problems: string[] = [];
  const require = createRequire(path.join(out, "index.cjs"));
  let mod: Runtime;
  try {
    mod = require("./index.cjs") as Runtime;
  } catch (e) {
    return [`the built index.cjs does not load: ${String((e as Error)?.message ?? e).slice(0, 300)}`];
  }
  const entries = JSON.parse(await readFile(path.join(out, "events.json"), "utf8")) as { type: string }[];
  for (const entry of entries.slice(0, 12)) {
    const values: unknown[] = [
      ...(await examplesOf(events, entry.type)).slice(0, 2).map((ex) => envelope(entry.type, ex)),
      envelope(entry.type, { a: "*/globalThis.__deFuzzCanary=1;/*" }),
      { type: entry.type },
    ];
    for (const value of values) {
      try {
        mod.validate(value);
        mod.validators[entry.type]?.(value);
        mod.isDomainEvent(value);
      } catch (e) {
        problems.push(`the built validators threw for ${entry.type}: ${String((e as Error)?.message ?? e).slice(0, 200)}`);
      }
      try {
        mod.parseEvent(value);
      } catch (e) {
        if (!(e instanceof mod.EventValidationError))
          problems.push(`parseEvent threw something else than EventValidationError for ${entry.type}`);
      }
    }
  }
  return problems;
}

/** What a built package exports (index.cjs). */
export interface Runtime {
  validate(value: unknown): { ok: boolean; errors?: unknown[] };
  isDomainEvent(value: unknown): boolean;
  parseEvent(value: unknown): unknown;
  validators: Record<string, ((value: unknown) => { ok: boolean }) | undefined>;
  EventValidationError: new (...args: never[]) => Error;
  events: readonly { type: string }[];
}

/**
 * Keeps a copy of a failing tree under .tmp/fuzz-failures/<label>/ (events/, mutations.json,
 * violations.txt) and returns the message to fail with: where the copy is and how to replay it.
 * Under shrinking, the last copy is the smallest failing case.
 */
export async function saveFailure(
  label: string,
  events: string,
  mutations: readonly Mutation[],
  problems: string[],
  replay = "npx tsx src/cli.ts check --no-cache --events <tree> (and build --no-cache --out .tmp/x)",
): Promise<string> {
  const dir = path.join(ROOT, ".tmp", "fuzz-failures", label);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp(events, path.join(dir, "events"), { recursive: true, verbatimSymlinks: true });
  await writeFile(
    path.join(dir, "mutations.json"),
    `${JSON.stringify(mutations, (_, v) => (typeof v === "string" && v.length > 200 ? `${v.slice(0, 40)}…(${v.length} chars)` : v), 2)}\n`,
  );
  await writeFile(path.join(dir, "violations.txt"), `${problems.join("\n")}\n`);
  const rel = path.relative(ROOT, dir);
  return [
    ...problems,
    `the mutated tree is kept in ${rel}/events (mutations: ${rel}/mutations.json);`,
    `replay: ${replay.replaceAll("<tree>", `${rel}/events`)}`,
  ].join("\n");
}
