/**
 * The costly half of the build, in batches: ajv compiles each schema (strict), checks its examples,
 * and emits each event's validator module (split from the shared definitions' code), and
 * json-schema-to-typescript turns each system's events into declarations (one root per system: a
 * run per event would cost five times as much). A batch is a plain function over
 * plain data, so it runs the same in this thread or in a worker thread (compile/worker.ts), and its
 * results are what the cache keeps.
 *
 * Each batch has its own ajv instances (an instance holding thousands of schemas gets slower per
 * schema), one per dialect its units use, in which the shared definitions and the envelope are
 * registered once.
 *
 * OWN_SCHEMAS_UNCHECKED: ajv checks no schema of a batch against its meta-schema (the last argument
 * of `addSchema`), as that check compiles the whole meta-schema in each instance, most of the cost
 * of a batch of one edited file. The authors' files were checked by the validate stage
 * (SCHEMA_META) before they became units; the envelope and each event's published schema are
 * ours, and test/compile-own-schemas.test.ts proves them valid in both dialects.
 */

import type { Ajv, ErrorObject } from "ajv";
import { compiledEventSchema, envelopeBaseSchema } from "../model/envelope.js";
import type { Dialect } from "../model/tree.js";
import { createAjvSet } from "../schema/ajv.js";
import { idOf } from "../schema/refs.js";
import { ENVELOPE_ID, eventSchemaId } from "./ids.js";
import { pointersOf, type SharedCode, splitValidator } from "./split.js";

/** A shared schema, ready for ajv (annotations stripped, `$id` set). */
export interface SharedInput {
  rel: string;
  dialect: Dialect;
  schema: Record<string, unknown>;
}

/** A schema to compile, with its examples, and for an event its `type` and source pin. */
export interface UnitInput {
  rel: string;
  dialect: Dialect;
  schema: Record<string, unknown>;
  examples: unknown[];
  event?: { type: string; sourcePin?: string; signed?: boolean };
}

/** A root json-schema-to-typescript compiles: one system's events' data types. */
export interface TypesInput {
  id: string;
  root: Record<string, unknown>;
  /** The shared types the root names (imported by its declarations). */
  shared?: string[];
}

/** What a batch found and made for one unit. */
export interface UnitOutput {
  rel: string;
  /** ajv refused the schema (strict mode): its message. */
  compileError?: string;
  /** Examples that did not validate, each with every problem. */
  invalidExamples: { index: number; errors: ErrorObject[] }[];
  /** For events: the validator's module body, the shared functions it imports, and all it reaches ([name, key]). */
  validator?: { body: string; imports: string[]; shared: [string, string][] };
}

/** What a batch gives: each unit's output, the code of the shared functions its events reach, declarations. */
export interface BatchOutput {
  units: UnitOutput[];
  /** Canonical name → the function's key (`<dialect>:<file>#<pointer>`) and code. */
  shared: [string, { key: string; code: string }][];
  /** Declarations by types root id. */
  types: [string, string][];
}

/** Compiles a batch: ajv for the units, `compileTypes` (json-schema-to-typescript) for the types roots. */
export async function compileBatch(
  shared: readonly SharedInput[],
  units: readonly UnitInput[],
  types: readonly TypesInput[] = [],
  compileTypes?: (root: Record<string, unknown>) => Promise<string>,
): Promise<BatchOutput> {
  const declared: [string, string][] = [];
  for (const t of types) {
    if (!compileTypes) throw new Error("types to compile, but no compiler");
    declared.push([t.id, await compileTypes(t.root)]);
  }
  // Declarations only (an edit to a description): ajv is not even loaded.
  if (units.length === 0) return { units: [], shared: [], types: declared };
  const sharedCode: SharedCode = new Map();
  const ajv = createAjvSet({ allErrors: false, source: true });
  const pointers = new Map<string, { key: string; pointers: Map<unknown, string> }>();
  // Only the dialects of this batch's units: an instance costs its creation and the compilation
  // of its meta-schema, and a batch of one edited file needs one.
  for (const dialect of dialectsOf(units)) {
    const envelope = envelopeBaseSchema(ENVELOPE_ID);
    // Ours, not checked against the meta-schema again (OWN_SCHEMAS_UNCHECKED).
    ajv[dialect].addSchema(envelope, undefined, undefined, false);
    pointers.set(`${dialect} ${ENVELOPE_ID}`, { key: `${dialect}:~envelope`, pointers: pointersOf(envelope) });
    for (const s of shared) {
      // Shared definitions serve events of either dialect: the other instance reads them as its own.
      const schema = s.dialect === dialect ? s.schema : withoutDialect(s.schema);
      ajv[dialect].addSchema(schema, idOf(s.rel), undefined, false);
      pointers.set(`${dialect} ${idOf(s.rel)}`, { key: `${dialect}:${s.rel}`, pointers: pointersOf(schema) });
    }
  }
  // The events of this batch: their functions stay in their own modules (shared files compile here too).
  const own = new Set(units.filter((u) => u.event).map((u) => u.rel));
  for (const u of units) if (!shared.some((s) => s.rel === u.rel)) ajv[u.dialect].addSchema(u.schema, idOf(u.rel), undefined, false);

  const out: UnitOutput[] = [];
  for (const unit of units) {
    const result: UnitOutput = { rel: unit.rel, invalidExamples: [] };
    out.push(result);
    let fn: ReturnType<Ajv["getSchema"]>;
    try {
      fn = ajv[unit.dialect].getSchema(idOf(unit.rel));
    } catch (e) {
      result.compileError = (e as Error).message;
      continue;
    }
    if (!fn) continue;
    unit.examples.forEach((example, index) => {
      if (!fn(example)) result.invalidExamples.push({ index, errors: everyProblem(shared, unit, example) });
    });
    if (!unit.event) continue;
    const id = eventSchemaId(unit.event.type);
    // Ours, not checked against the meta-schema again (OWN_SCHEMAS_UNCHECKED).
    ajv[unit.dialect].addSchema(
      compiledEventSchema({
        id,
        envelopeId: ENVELOPE_ID,
        type: unit.event.type,
        dataRef: idOf(unit.rel),
        sourcePin: unit.event.sourcePin,
        signed: unit.event.signed,
      }),
      undefined,
      undefined,
      false,
    );
    const eventFn = ajv[unit.dialect].getSchema(id);
    if (!eventFn) throw new Error(`ajv lost the schema ${id}`);
    const split = splitValidator(
      eventFn as never,
      (baseId, schema) => {
        if (baseId === undefined || own.has(baseId.slice(idOf("").length)) || baseId === id) return undefined;
        const home = pointers.get(`${unit.dialect} ${baseId}`);
        const pointer = home?.pointers.get(schema);
        return home && pointer !== undefined ? `${home.key}#${pointer}` : undefined;
      },
      sharedCode,
    );
    result.validator = { body: split.body, imports: split.imports, shared: split.shared };
  }
  return { units: out, shared: [...sharedCode], types: declared };
}

/** Every problem of an invalid example: the build's validators stop at the first, people want all. */
function everyProblem(shared: readonly SharedInput[], unit: UnitInput, example: unknown): ErrorObject[] {
  const ajv = createAjvSet({ allErrors: true })[unit.dialect];
  for (const s of shared)
    if (s.rel !== unit.rel) ajv.addSchema(s.dialect === unit.dialect ? s.schema : withoutDialect(s.schema), idOf(s.rel), undefined, false);
  const fn = ajv.compile({ ...unit.schema });
  fn(example);
  return fn.errors ?? [];
}

/** The dialects of the units, in the order the instances have always been set up. */
function dialectsOf(units: readonly UnitInput[]): Dialect[] {
  return (["2020-12", "draft-07"] as const).filter((dialect) => units.some((u) => u.dialect === dialect));
}

function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _, ...rest } = schema;
  return rest;
}
