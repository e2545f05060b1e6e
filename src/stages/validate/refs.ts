/**
 * Rules about references (`$ref`, `$dynamicRef`): inside the tree and never remote, pointing at a
 * schema that exists, into `_shared/` or the same file rather than another event; and, over the
 * files that passed, no cycle that never reaches into the data and no chain of references too deep
 * for the compilers. Hints name the path or definition to write instead.
 */

import { closeTo, relativeRef } from "../../diagnostics/hints.js";
import { joinPointer } from "../../diagnostics/index.js";
import { kebab } from "../../model/names.js";
import type { ParsedFile } from "../../model/tree.js";
import { LIMITS } from "../../schema/limits.js";
import { findDeepSchemas, findRefCycles } from "../../schema/ref-cycles.js";
import { filesReferenced, refSummary } from "../../schema/ref-summary.js";
import { atPointer, dataOnPath, type RefTarget, resolveRef } from "../../schema/refs.js";
import { isObject, type SchemaVisit } from "../../schema/walk.js";
import type { Report, SubschemaRule, TreeRule } from "./rule.js";

/** One reference of a subschema: its keyword's pointer, its text, and where it leads. */
interface RefSite {
  at: string;
  ref: string;
  target: RefTarget;
}

/** What most subschemas hold: no reference (shared, never changed). */
const NO_REFS: readonly RefSite[] = [];

/** The references of one subschema. */
function refSites({ schema, pointer }: SchemaVisit, from: string): readonly RefSite[] {
  // Every reference rule asks this of every subschema: most have no reference at all.
  if (!("$ref" in schema) && !("$dynamicRef" in schema)) return NO_REFS;
  const out: RefSite[] = [];
  for (const keyword of ["$ref", "$dynamicRef"]) {
    const ref = schema[keyword];
    if (typeof ref === "string") out.push({ at: joinPointer(pointer, keyword), ref, target: resolveRef(from, ref) });
  }
  return out;
}

/** SCHEMA_REF_REMOTE: no reference is a URL or an absolute path. */
export const refRemote: SubschemaRule = {
  code: "SCHEMA_REF_REMOTE",
  scope: "subschema",
  check(visit, { file }, report) {
    for (const { at, ref, target } of refSites(visit, file.rel)) {
      if (target.kind === "remote") report(at, `"${ref}" is a URL or an absolute path`, remoteRefHint(file.rel, ref));
    }
  },
};

/** SCHEMA_REF_OUTSIDE: a relative reference stays inside the events tree. */
export const refOutside: SubschemaRule = {
  code: "SCHEMA_REF_OUTSIDE",
  scope: "subschema",
  check(visit, { file }, report) {
    for (const { at, ref, target } of refSites(visit, file.rel)) {
      if (target.kind !== "outside") continue;
      const shared = `_shared/${refBaseName(ref)}`;
      report(
        at,
        `"${ref}" leaves the events tree`,
        `copy that schema into the events folder, e.g. as ${shared}, and refer to it as "${relativeRef(file.rel, shared)}"`,
      );
    }
  },
};

/** SCHEMA_REF_TO_EVENT: a reference into another file points into `_shared/`, not into another event. */
export const refToEvent: SubschemaRule = {
  code: "SCHEMA_REF_TO_EVENT",
  scope: "subschema",
  check(visit, { file, files }, report) {
    for (const { at, ref, target } of refSites(visit, file.rel)) {
      if (target.kind !== "file") continue;
      const other = files.get(target.rel);
      if (other?.kind.kind !== "event" || other.rel === file.rel) continue;
      // Named after the definition, or after the event's first word: a shared file named like the event would take its type name.
      const shared = `_shared/${kebab(target.pointer.split("/").at(-1) || (target.rel.split("/").at(-1) ?? "").split(/[-.]/)[0] || "") || "common"}.json`;
      report(
        at,
        `"${ref}" points into another event (${target.rel})`,
        `move what both events share to ${shared} and refer to it from both, here as "${relativeRef(file.rel, shared)}"`,
      );
    }
  },
};

/**
 * SCHEMA_REF_MISSING: a reference is a path and a JSON pointer, naming a schema file of the tree
 * and a schema in it (not data). A file that exists but did not parse has its own finding.
 */
export const refMissing: SubschemaRule = {
  code: "SCHEMA_REF_MISSING",
  scope: "subschema",
  check(visit, { file, files, unparsed }, report) {
    for (const { at, ref, target } of refSites(visit, file.rel)) {
      if (target.kind === "malformed") {
        report(
          at,
          `"${ref}" is not a path followed by # and a JSON pointer`,
          'write the fragment as a JSON pointer, e.g. "#/$defs/lineItem"',
        );
      } else if (target.kind === "local") {
        missingOrData(report, at, ref, file.json, target.pointer, "#", "this file");
      } else if (target.kind === "file") {
        const other = files.get(target.rel);
        if (!other && unparsed.has(target.rel)) continue;
        if (!other || other.kind.kind === "system") {
          report(at, `"${ref}" names no schema file (${target.rel})`, missingFileHint(file.rel, target.rel, files));
        } else if (other.kind.kind !== "event" || other.rel === file.rel) {
          // A reference into another event is SCHEMA_REF_TO_EVENT's.
          const path = ref.indexOf("#") === -1 ? ref : ref.slice(0, ref.indexOf("#"));
          missingOrData(report, at, ref, other.json, target.pointer, `${path}#`, target.rel);
        }
      }
    }
  },
};

/**
 * A pointer that finds nothing in `json`, or one that passes through data (an example, a `default`,
 * a `const`, a `properties` map itself) rather than from schema to subschema: every tool that
 * follows it would read data as a schema, and json-schema-to-typescript is given no data at all.
 */
function missingOrData(
  report: Report,
  at: string,
  ref: string,
  json: Record<string, unknown>,
  pointer: string,
  prefix: string,
  where: string,
): void {
  if (atPointer(json, pointer) === undefined) {
    report(at, `"${ref}" points at nothing in ${where}`, missingPointerHint(json, pointer, prefix));
    return;
  }
  const keyword = dataOnPath(json, pointer);
  if (keyword === undefined) return;
  report(
    at,
    `"${ref}" points into data ("${keyword}"), not at a schema`,
    `point at a schema: move the schema under "$defs" and refer to it as "${prefix}/$defs/<name>"${hintDefs(json, prefix)}`,
  );
}

/** SCHEMA_REF_CYCLE: no cycle of references that never descends into the data. */
export const refCycle: TreeRule = {
  code: "SCHEMA_REF_CYCLE",
  scope: "tree",
  check(passed, report) {
    for (const cycle of findRefCycles(passed)) {
      report(cycle.rel, cycle.pointer, "this reference is part of a cycle that never reaches into the data", cycleHint(cycle.pointer));
    }
  },
};

/** SCHEMA_REF_DEPTH: schemas nest at most LIMITS.schemaDepth deep, counted through references. */
export const refDepth: TreeRule = {
  code: "SCHEMA_REF_DEPTH",
  scope: "tree",
  check(passed, report) {
    for (const deep of findDeepSchemas(passed, LIMITS.schemaDepth)) {
      report(
        deep.rel,
        deep.pointer,
        deep.cycle
          ? `this reference closes a cycle of ${deep.depth} nested schemas (at most ${LIMITS.schemaDepth}, counted through references)`
          : `schemas nest ${deep.depth} deep from here, counted through references (at most ${LIMITS.schemaDepth})`,
        depthHint(deep.pointer),
      );
    }
  },
};

/**
 * The schema files (events-relative paths, sorted) that a file refers to: from its reference
 * summary (worked out once per parsed file, or remembered from the build cache).
 */
export function referencedFiles(file: ParsedFile): string[] {
  return filesReferenced(refSummary(file));
}

// ---------------------------------------------------------------------------------------------
// Hints that depend on the tree: the path to write instead, the definitions that exist.

/** A reference cycle: recurse through a property of the definition instead, as a tree of nodes does. */
function cycleHint(pointer: string): string {
  const name = /^\/(?:\$defs|definitions)\/([^/]+)/.exec(pointer)?.[1] ?? "node";
  return `give "${name}" content and recurse through one of its properties, e.g. { "type": "object", "additionalProperties": false, "properties": { "parent": { "$ref": "#/$defs/${name}" } } }; or remove the reference`;
}

/** Schemas nested too deep through references: shorten the chain where it is reported. */
function depthHint(pointer: string): string {
  const at = pointer.endsWith("/$ref")
    ? "refer to the schema at the end of the chain directly instead of through this one"
    : "nest less here";
  return `${at}, or merge the files of the chain: a chain of references or of nested schemas may be at most ${LIMITS.schemaDepth} schemas deep`;
}

/** The last path segment of a reference, without query or fragment: the name to copy its schema under. */
function refBaseName(ref: string): string {
  const name = ref.split(/[?#]/)[0]?.split("/").filter(Boolean).at(-1) ?? "";
  return name.endsWith(".json") ? name : `${kebab(name) || "definition"}.json`;
}

/** An absolute path becomes the same path relative to this file; a URL's schema is copied under _shared/. */
function remoteRefHint(from: string, ref: string): string {
  const path = ref.split("#")[0] ?? "";
  if (path.startsWith("/") && !path.startsWith("//")) {
    return `write it relative to this file: "${relativeRef(from, path.slice(1))}${ref.slice(path.length)}"`;
  }
  const shared = `_shared/${refBaseName(ref)}`;
  return `copy that schema into the events folder as ${shared} and refer to it as "${relativeRef(from, shared)}": the build never fetches`;
}

/** The definitions a file has under $defs (or draft-07's definitions), as references. */
function definitionsOf(json: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const keyword of ["$defs", "definitions"]) {
    const defs = json[keyword];
    if (isObject(defs)) out.push(...Object.keys(defs).map((k) => joinPointer(`/${keyword}`, k)));
  }
  return out;
}

/** The definitions that exist, as a tail for a hint. */
function hintDefs(json: Record<string, unknown>, prefix: string): string {
  const defs = definitionsOf(json);
  return defs.length > 0 ? ` (defined here: ${defs.map((d) => `"${prefix}${d}"`).join(", ")})` : "";
}

/** A pointer (after `prefix`, "#" or "../../_shared/money.json#") that finds nothing: the near or existing definitions. */
function missingPointerHint(json: Record<string, unknown>, pointer: string, prefix: string): string {
  const defs = definitionsOf(json);
  const name = pointer.split("/").at(-1) ?? "";
  const near = defs.find((d) => closeTo(d.split("/").at(-1) ?? "", name));
  if (near) return `did you mean "${prefix}${near}"?`;
  if (defs.length > 0) return `point at a definition that exists: ${defs.map((d) => `"${prefix}${d}"`).join(", ")}`;
  return `add the definition: "$defs": { "${name || "name"}": { … } }, and refer to it as "${prefix}/$defs/${name || "name"}"`;
}

/** A path that names no schema file: the nearest file by name, or how relative paths go from here. */
function missingFileHint(from: string, target: string, files: ReadonlyMap<string, ParsedFile>): string {
  const base = (rel: string) => rel.split("/").at(-1) ?? rel;
  const schemas = [...files.values()].filter((f) => f.kind.kind !== "system").map((f) => f.rel);
  const near = schemas.find((rel) => rel !== from && closeTo(base(rel).replace(/\.json$/, ""), base(target).replace(/\.json$/, "")));
  if (near) return `did you mean "${relativeRef(from, near)}"?`;
  if (base(target) === "system.json") return "system.json is not a schema: refer to a file under _shared/";
  const example = schemas.find((rel) => rel.startsWith("_")) ?? "_shared/money.json";
  return `paths are relative to this file (${from}): ${example} is "${relativeRef(from, example)}"`;
}

/** The rules of this file: those over one subschema, then those over the tree. */
export const REF_RULES = [refRemote, refOutside, refToEvent, refMissing, refCycle, refDepth] as const;
