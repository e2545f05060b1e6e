/**
 * The schema stage's rule model (Buf's): a rule is one entry, `{ code, scope, check }`, for one
 * code of the registry (src/diagnostics/codes.ts, which holds its stage, severity and purpose). The
 * runner (index.ts) hands each check a `report` bound to the entry's own code and to the file, so
 * an entry cannot emit another code, and no check chooses a severity.
 *
 * The scope says what a check is given, and so when the runner calls it:
 *
 *   system     a system.json
 *   dialect    each subschema of a schema file, the root included, before the subschema rules;
 *              on a file whose dialect is unknown, the root alone, and no other rule runs (every
 *              other rule needs the dialect)
 *   subschema  each subschema of a schema file, the root included (one walk serves them all)
 *   event      the top of an event file
 *   meta       a schema file in which the rules above found no error (ajv's meta-schema check
 *              would only repeat their findings in its own words)
 *   tree       the schema files that passed every rule above, together: a file with a finding
 *              here is dropped before the next tree rule
 */

import type { Code } from "../../diagnostics/index.js";
import type { Dialect, ParsedFile } from "../../model/tree.js";
import type { SchemaVisit } from "../../schema/walk.js";

/**
 * Reports one finding of the rule's own code at `pointer` in the file being checked. `warning` is
 * for the code's registered exception only (`warningWhen` in codes.ts).
 */
export type Report = (pointer: string, message: string, hint: string, options?: { warning: true }) => void;

/** Reports one finding of a tree rule's own code, in the file at `rel` (events-relative). */
export type TreeReport = (rel: string, pointer: string, message: string, hint: string) => void;

/** What a rule over a schema file knows besides the file. */
export interface FileContext {
  file: ParsedFile;
  dialect: Dialect;
  /** Every parsed file of the tree, by events-relative path. */
  files: ReadonlyMap<string, ParsedFile>;
  /** Files that exist in the tree but did not parse (they have findings of their own). */
  unparsed: ReadonlySet<string>;
}

/** A rule over a whole file: a system.json, an event's top level. */
export interface FileRule {
  code: Code;
  scope: "system" | "event";
  check(file: ParsedFile, report: Report): void;
}

/** A rule over one subschema that needs no dialect: it decides whether the file has one. */
export interface DialectRule {
  code: Code;
  scope: "dialect";
  check(visit: SchemaVisit, file: ParsedFile, report: Report): void;
}

/** A rule over one subschema. */
export interface SubschemaRule {
  code: Code;
  scope: "subschema";
  check(visit: SchemaVisit, ctx: FileContext, report: Report): void;
}

/** A rule over a whole schema file that no rule above found in error. */
export interface MetaRule {
  code: Code;
  scope: "meta";
  check(ctx: FileContext, report: Report): void;
}

/** A rule over the files that passed so far, together. */
export interface TreeRule {
  code: Code;
  scope: "tree";
  check(passed: ReadonlyMap<string, ParsedFile>, report: TreeReport): void;
}

/** One rule of the schema stage. */
export type SchemaRule = FileRule | DialectRule | SubschemaRule | MetaRule | TreeRule;
