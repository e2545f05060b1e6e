/**
 * The compile stage's inputs, from the checked tree: every valid schema as ajv is to see it (the
 * author's `$schema` alias resolved, annotations ajv does not know removed), each with its examples
 * and the shared files it reaches, directly or through other shared files (a unit's cache key names
 * them by their hashes), and, for a build, the declarations' roots that the generators made.
 */

import { cmp } from "../diagnostics/index.js";
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
    ...tree.shared.map((file) => ({
      rel: file.rel,
      dialect: dialectOf(file),
      schema: forAjv(file),
      examples: examplesOf(file),
      deps: closure(file),
    })),
    ...tree.events.map((ev) => ({
      rel: ev.source.rel,
      dialect: ev.dialect,
      schema: forAjv(ev.source),
      examples: examplesOf(ev.source),
      event: { type: ev.type, ...(ev.sourcePin ? { sourcePin: ev.sourcePin } : {}) },
      deps: closure(ev.source),
    })),
  ];
  return types ? { shared, units, types } : { shared, units };
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
