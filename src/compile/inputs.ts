/**
 * The compile stage's inputs, from the checked tree: every valid schema as ajv is to see it (the
 * author's `$schema` alias resolved, annotations ajv does not know removed), each with its examples
 * and the shared files it reaches, directly or through other shared files (a unit's cache key names
 * them by their hashes), and, for a build, the declarations' roots that the generators made.
 */

import { cmp } from "../diagnostics/index.js";
import { lazyProperty } from "../model/lazy.js";
import type { EventTree, ParsedFile } from "../model/tree.js";
import { referencedFiles, schemaForAjv, stripAnnotations, type ValidSchema } from "../stages/validate/index.js";
import type { SharedInput } from "./compile.js";
import type { CompileUnit, TypesRootSource } from "./index.js";

/** The declarations to make: one root per system, and the shared definitions' root. */
export interface TypesRoots {
  roots: TypesRootSource[];
  shared: TypesRootSource;
}

/** What compileAll needs for a tree (`types` only when declarations are wanted: the build). */
export function compileInputs(
  tree: EventTree,
  schemas: ReadonlyMap<string, ValidSchema>,
  types?: TypesRoots,
): { shared: SharedInput[]; units: CompileUnit[]; types?: TypesRoots } {
  const dialectOf = (file: ParsedFile) => (schemas.get(file.rel) as ValidSchema).dialect;
  const closure = dependencyClosure(schemas);
  const shared: SharedInput[] = tree.shared.map((file) => ({ rel: file.rel, dialect: dialectOf(file), schema: forAjv(file) }));
  const units: CompileUnit[] = [
    ...tree.shared.map((file) => unit(file, dialectOf(file), closure(file))),
    ...tree.events.map((ev) =>
      unit(ev.source, ev.dialect, closure(ev.source), {
        type: ev.type,
        ...(ev.sourcePin ? { sourcePin: ev.sourcePin } : {}),
        ...(ev.signed ? { signed: true } : {}),
      }),
    ),
  ];
  return types ? { shared, units, types } : { shared, units };
}

/**
 * A unit whose schema (as ajv is to see it: a walk of the whole file) and examples are made when
 * first read: a warm run, whose units' keys the files' bytes remember (compile/index.ts), reads
 * neither. The
 * keys are in the order ajv's input has always had them (rel, dialect, schema, examples, event,
 * deps): a unit's content key is a hash of them in that order.
 */
function unit(file: ParsedFile, dialect: CompileUnit["dialect"], deps: string[], event?: CompileUnit["event"]): CompileUnit {
  const out = { rel: file.rel, dialect } as CompileUnit;
  lazyProperty(out, "schema", () => forAjv(file));
  // Read from the file as lazily: a warm run that reads neither need not parse the file at all.
  lazyProperty(out, "examples", () => examplesOf(file));
  if (event) out.event = event;
  out.deps = deps;
  return out;
}

function forAjv(file: ParsedFile): Record<string, unknown> {
  return stripAnnotations(schemaForAjv(file)) as Record<string, unknown>;
}

function examplesOf(file: ParsedFile): unknown[] {
  return Array.isArray(file.json.examples) ? file.json.examples : [];
}

/** The files a file reaches through its references, sorted; memoised, and safe on cycles. */
function dependencyClosure(schemas: ReadonlyMap<string, ValidSchema>): (file: ParsedFile) => string[] {
  const deps = new Map<string, string[]>();
  const closure = (file: ParsedFile): string[] => {
    const known = deps.get(file.rel);
    if (known) return known;
    const out = new Set<string>();
    deps.set(file.rel, []);
    for (const rel of referencedFiles(file)) {
      out.add(rel);
      const target = schemas.get(rel)?.file;
      if (target) for (const r of closure(target)) out.add(r);
    }
    const sorted = [...out].sort(cmp);
    deps.set(file.rel, sorted);
    return sorted;
  };
  return closure;
}
