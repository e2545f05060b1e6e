/**
 * Standalone validator code, one module per event, with the shared definitions' code emitted once.
 *
 * ajv's own standalone output puts every function a validator needs into one text, so that shared
 * definitions would be repeated in every event's module. Instead we walk the same data ajv's
 * standalone walks (each compiled function's `source`: its code and the scope values it uses) and
 * give every function a home: a function compiled from a shared file (or the envelope) goes to the
 * shared module under a name derived from what it validates (`<file>#<pointer>`), everything else
 * stays in the event's module. Names are rewritten to canonical ones in order of appearance, so
 * the text of a function does not depend on which batch (which ajv instance) compiled it: the
 * build is deterministic however the events were batched, and a cached function is valid forever.
 * Before a function is renamed, its code is rewritten where the same verdicts and errors come
 * cheaper (own-checks.ts: own-property checks, key loops, length limits).
 */

import { createHash } from "node:crypto";
import { guardCode, SOURCE_URL_COMMENT, UnsafeCodeError } from "../schema/ajv.js";
import { rewriteValidatorCode } from "./own-checks.js";

const UCS2LENGTH = 'require("ajv/dist/runtime/ucs2length").default';

/** The requires ajv's code makes, and what our runtime module provides instead. */
const REQUIRES: readonly (readonly [string, string])[] = [
  [UCS2LENGTH, "__ucs2length"],
  ['require("ajv/dist/runtime/equal").default', "__equal"],
  ['require("ajv-formats/dist/formats").fullFormats', "__formats"],
];

/** ajv's compiled function, as far as we read it. */
interface Compiled {
  (data: unknown): boolean;
  source?: { validateName: unknown; validateCode: string; scopeValues: Record<string, Set<ScopeName>>; evaluated?: unknown };
  schemaEnv?: { baseId?: string; schema: unknown };
}
interface ScopeName {
  prefix: string;
  str: string;
  value?: { ref?: unknown; code?: unknown };
}

/** Where a function compiled from `baseId`'s schema `schema` lives: a shared key, or undefined (local). */
export type HomeOf = (baseId: string | undefined, schema: unknown) => string | undefined;

/** One event's validator: its module's body, and the shared functions it needs. */
export interface SplitValidator {
  /** Definitions of the event's own functions and constants; the entry function is `v0`. */
  body: string;
  /** Shared functions this module imports. */
  imports: string[];
  /** Every shared function reachable from it (imported, or called by those), by canonical name, with its key. */
  shared: [string, string][];
}

/** The code of the shared functions emitted so far (by canonical name), kept across the events of a batch. */
export type SharedCode = Map<string, { key: string; code: string }>;

/** The canonical name of a shared function: readable, and unique by a short hash of its key. */
export function sharedName(key: string): string {
  const readable = key
    .replace(/\.json/g, "")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  return `s_${readable}_${createHash("sha256").update(key).digest("hex").slice(0, 6)}`;
}

/**
 * Splits the compiled validator `fn` of one event. `code` holds the shared functions already
 * emitted by this ajv instance, and receives the new ones.
 */
export function splitValidator(fn: Compiled, homeOf: HomeOf, code: SharedCode): SplitValidator {
  const reached = new Map<string, string>();
  const imports = new Set<string>();
  const local = new Unit("v");

  const nameOf = (f: Compiled): { name: string; key: string } | undefined => {
    const key = homeOf(f.schemaEnv?.baseId, f.schemaEnv?.schema);
    return key === undefined ? undefined : { name: sharedName(key), key };
  };

  // The shared functions are emitted each in a unit of its own (their constants prefixed by the
  // function's name); the event's own functions all go into one unit.
  const emitShared = (f: Compiled, name: string, key: string) => {
    if (reached.has(name)) return;
    reached.set(name, key);
    const known = code.get(name);
    const unit = known ? undefined : new Unit(`${name}_`);
    const external = (g: Compiled) => {
      const home = nameOf(g);
      if (home) emitShared(g, home.name, home.key);
      return home?.name;
    };
    if (unit) {
      unit.fn(f, name, external);
      code.set(name, { key, code: unit.text() });
    }
    // Already emitted (by this event or an earlier one of the batch): only what it reaches is wanted.
    for (const target of reachOf(f)) external(target);
  };
  const resolveLocal = (g: Compiled): string | undefined => {
    const home = nameOf(g);
    if (!home) return undefined;
    imports.add(home.name);
    emitShared(g, home.name, home.key);
    return home.name;
  };
  local.fn(fn, "v0", resolveLocal);
  const body = local.text();
  // The event's own functions are reached by no other event (SCHEMA_REF_TO_EVENT): their source is
  // dropped now that their module is written.
  local.releaseSources();
  return { body, imports: [...imports].sort(), shared: [...reached].sort(([a], [b]) => (a < b ? -1 : 1)) };
}

/**
 * The functions a shared function calls, read once from its source, which is then dropped: ajv's
 * `source` (its code and scope values) of every function of a batch would otherwise stay on the heap
 * until the batch ends, for the garbage collector to walk at every later compile of the batch.
 * Keyed weakly: the list goes with the batch's ajv instance.
 */
const reaches = new WeakMap<Compiled, Compiled[]>();

function reachOf(f: Compiled): Compiled[] {
  let targets = reaches.get(f);
  if (targets) return targets;
  targets = [];
  for (const names of Object.values(f.source?.scopeValues ?? {})) {
    for (const n of names) {
      const ref = n.value?.ref;
      const target = typeof ref === "function" ? (ref as Compiled) : (ref as { validate?: Compiled } | undefined)?.validate;
      if (target && (n.prefix === "validate" || n.prefix === "root" || n.prefix === "wrapper")) targets.push(target);
    }
  }
  reaches.set(f, targets);
  delete f.source;
  return targets;
}

/** A text being assembled: functions and constants, with canonical names. */
class Unit {
  private readonly parts: { constant?: string; code: string }[] = [];
  private readonly done = new Map<unknown, string>();
  private counter = 0;
  private constCounter = 0;

  constructor(private readonly prefix: string) {}

  text(): string {
    return this.parts.map((p) => p.code).join("\n");
  }

  /** Drops ajv's `source` of every function emitted here (after `text`: it is not needed again). */
  releaseSources(): void {
    for (const f of this.done.keys()) delete (f as Compiled).source;
  }

  /**
   * Emits function `f` as `name` (or a fresh local name) with everything it uses; `external` names
   * a function that lives elsewhere (shared), or returns undefined to emit it here.
   */
  fn(f: Compiled, name: string | undefined, external: (g: Compiled) => string | undefined): string {
    const seen = this.done.get(f);
    if (seen) return seen;
    const source = f.source;
    if (!source) throw new Error("ajv's compiled function has no source (code.source must be on)");
    const own = name ?? `${this.prefix}${++this.counter}`;
    this.done.set(f, own);
    const validateCode = rewriteValidatorCode(source.validateCode, {
      hasOwn: funcName(source.scopeValues, "Object.prototype.hasOwnProperty"),
      ucs2length: funcName(source.scopeValues, UCS2LENGTH),
      schemas: schemasOf(source.scopeValues),
    });
    const renames = new Map<string, string>([[String(source.validateName), own]]);
    const constants: { constant: string; code: string }[] = [];
    for (const [prefix, names] of Object.entries(source.scopeValues)) {
      for (const n of names) {
        const ref = n.value?.ref;
        if (prefix === "validate" && typeof ref === "function") {
          const g = ref as Compiled;
          renames.set(n.str, external(g) ?? this.fn(g, undefined, external));
        } else if ((prefix === "root" || prefix === "wrapper") && typeof ref === "object" && ref !== null) {
          const target = (ref as { validate?: Compiled }).validate;
          if (!target) throw new Error("ajv internal: a wrapper without its function");
          const targetName = external(target) ?? this.fn(target, undefined, external);
          const c = this.constName();
          renames.set(n.str, c);
          constants.push({ constant: c, code: `const ${c} = {validate: ${targetName}};` });
        } else {
          // ajv keeps each schema object in scope whether the code reads it or not.
          if (prefix === "schema" && !validateCode.includes(n.str)) continue;
          if (n.value?.code === undefined) throw new Error(`ajv's value ${n.str} has no code for standalone use`);
          let code = String(n.value.code);
          for (const [from, to] of REQUIRES) code = code.split(from).join(to);
          if (/\brequire\(/.test(code)) throw new Error(`ajv's standalone code needs ${code}, which the runtime does not provide`);
          const c = this.constName();
          renames.set(n.str, c);
          constants.push({ constant: c, code: `const ${c} = ${code};` });
        }
      }
    }
    let code = rename(validateCode, renames);
    if (source.evaluated !== undefined) code += `${own}.evaluated = ${rename(String(source.evaluated), renames)};`;
    this.parts.push(...constants, { code });
    return own;
  }

  private constName(): string {
    return `${this.prefix === "v" ? "c" : `${this.prefix}c`}${this.constCounter++}`;
  }
}

/**
 * The name ajv's code gives the function whose code is `code`, if it uses it:
 * `Object.prototype.hasOwnProperty` (`ownProperties`) or ucs2length (`minLength`, `maxLength`).
 */
function funcName(scopeValues: Record<string, Set<ScopeName>>, code: string): string | undefined {
  for (const n of scopeValues.func ?? []) if (String(n.value?.code) === code) return n.str;
  return undefined;
}

/** The schema object behind each of ajv's `schemaN` names. */
function schemasOf(scopeValues: Record<string, Set<ScopeName>>): Map<string, unknown> {
  return new Map([...(scopeValues.schema ?? [])].map((n) => [n.str, n.value?.ref]));
}

/** The tokens of ajv's code that matter here: strings (skipped), comments (dropped), identifiers, numbers. */
const TOKEN = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\/\*[\s\S]*?\*\/|`|[A-Za-z_$][\w$]*|[0-9][\w.$]*/g;

/**
 * Renames identifiers outside string literals and drops ajv's sourceURL comments. The text was
 * checked by guardCode before ajv compiled it; it is checked again here, since what this returns
 * is published: a comment of any other form is refused, never cut at its first `*∕`.
 */
export function rename(code: string, names: ReadonlyMap<string, string>): string {
  return guardCode(code).replace(TOKEN, (token) => {
    const c = token.charCodeAt(0);
    if (c === 0x2f) {
      if (!SOURCE_URL_COMMENT.test(token)) throw new UnsafeCodeError(`unexpected comment in ajv's code: ${token.slice(0, 80)}`);
      return "";
    }
    if (c === 0x60) throw new Error("unexpected template literal in ajv's code");
    return names.get(token) ?? token;
  });
}

/** Maps each subschema object of `root` to its JSON pointer (for naming shared functions). */
export function pointersOf(root: unknown): Map<unknown, string> {
  const out = new Map<unknown, string>();
  const visit = (node: unknown, pointer: string) => {
    if (typeof node !== "object" || node === null) return;
    if (!out.has(node)) out.set(node, pointer);
    for (const [k, v] of Object.entries(node)) visit(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`);
  };
  visit(root, "");
  return out;
}
