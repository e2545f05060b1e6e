/**
 * Rules about patterns (`pattern`, and the keys of `patternProperties`): valid with the u flag, and
 * proven safe from catastrophic backtracking (schema/redos.ts), or allowed by the author, exactly
 * and with a reason, where the analyser can neither prove nor refute.
 */

import { patternFix } from "../../diagnostics/hints.js";
import { joinPointer } from "../../diagnostics/index.js";
import { compilePattern } from "../../schema/patterns.js";
import { PATTERN_LIMITS, patternVerdict } from "../../schema/redos.js";
import { ALLOW_UNPROVEN_PATTERNS, isObject, type SchemaVisit, walkSchema } from "../../schema/walk.js";
import type { Report, SubschemaRule } from "./rule.js";

/** A pattern of a subschema: its `pattern`, or a key of its `patternProperties`, with what bounds its input. */
interface PatternSite {
  /** The pattern's pointer, and its subschema's. */
  at: string;
  schemaAt: string;
  pattern: string;
  /** The `maxLength` that bounds the strings it is run on, and where that bound belongs. */
  bound: unknown;
  boundHint: string;
}

/** SCHEMA_PATTERN: every pattern compiles with the u flag. */
export const pattern: SubschemaRule = {
  code: "SCHEMA_PATTERN",
  scope: "subschema",
  check(visit, _ctx, report) {
    for (const site of patternSites(visit)) {
      const error = patternError(site.pattern);
      if (error !== undefined) report(site.at, `invalid regular expression: ${error}`, patternFix(error));
    }
  },
};

/** SCHEMA_PATTERN_UNSAFE: no valid pattern backtracks catastrophically; no allowance covers one that does. */
export const patternUnsafe: SubschemaRule = {
  code: "SCHEMA_PATTERN_UNSAFE",
  scope: "subschema",
  check(visit, _ctx, report) {
    const { allowed } = allowances(visit);
    for (const { at, pattern } of validSites(visit)) {
      const verdict = patternVerdict(pattern);
      if (verdict.status !== "vulnerable") continue;
      report(
        at,
        `the pattern backtracks catastrophically (${verdict.complexity})${verdict.attack ? ` on input such as ${verdict.attack}` : ""}${allowed.has(pattern) ? `: no allowance in "${ALLOW_UNPROVEN_PATTERNS}" covers a pattern with a known attack` : ""}`,
        "rewrite it without nested or overlapping repetition, e.g. ^[a-z]+(-[a-z]+)*$ instead of ^([a-z]+-?)*$; a counted repeat of a group such as (a|b){1,10} counts as unbounded",
      );
    }
  },
};

/**
 * SCHEMA_PATTERN_UNPROVEN: a pattern the analyser cannot prove safe is allowed by its author, with a
 * reason, after a finished search, and with its input bounded; every allowance is well formed,
 * names a pattern of its schema, and is needed (an unneeded one is the code's registered warning).
 */
export const patternUnproven: SubschemaRule = {
  code: "SCHEMA_PATTERN_UNPROVEN",
  scope: "subschema",
  check(visit, _ctx, report) {
    const { allowed, problems } = allowances(visit);
    for (const p of problems) report(p.at, p.message, p.hint);
    const used = new Set<string>();
    for (const site of validSites(visit)) {
      if (allowed.has(site.pattern)) used.add(site.pattern);
      judgeUnproven(site, allowed.has(site.pattern), report);
    }
    for (const p of allowed.keys()) {
      if (used.has(p)) continue;
      report(
        joinPointer(visit.pointer, ALLOW_UNPROVEN_PATTERNS, p),
        "this allowance names no pattern of this schema",
        'write the pattern exactly as it is in "pattern" or as a key of "patternProperties" of this same schema, or remove the allowance',
      );
    }
  },
};

/** SCHEMA_PATTERN_UNPROVEN's finding for one valid pattern, given whether its author allows it. */
function judgeUnproven(site: PatternSite, allowed: boolean, report: Report): void {
  const verdict = patternVerdict(site.pattern);
  const { at } = site;
  // A vulnerable pattern is SCHEMA_PATTERN_UNSAFE's, allowed or not.
  if (verdict.status === "vulnerable") return;
  if (verdict.status === "safe") {
    if (!allowed) return;
    report(
      joinPointer(site.schemaAt, ALLOW_UNPROVEN_PATTERNS, site.pattern),
      "the analyser proves this pattern safe: its allowance is not needed",
      `remove the pattern from "${ALLOW_UNPROVEN_PATTERNS}" (and "${ALLOW_UNPROVEN_PATTERNS}" itself when it is empty)`,
      { warning: true },
    );
  } else if (!allowed) {
    report(
      at,
      `the ReDoS analyser cannot prove the pattern safe (${verdict.reason})`,
      `rewrite it without back-references and lookarounds (spell out what they stand for); or, if it must stay, allow exactly this pattern in the same schema, "${ALLOW_UNPROVEN_PATTERNS}": { ${JSON.stringify(site.pattern)}: "why it is needed and why it is safe" }, and bound its input with ${site.boundHint.replace("…", String(PATTERN_LIMITS.unprovenLength))} (or less)`,
    );
  } else if (verdict.searched !== true) {
    report(
      at,
      `the ReDoS analyser could not finish its search for an attack (${verdict.reason}): an allowance needs a finished search`,
      "simplify the pattern until the analyser proves it safe or finishes its search: fewer alternatives, smaller counted repeats",
    );
  } else if (!boundedLength(site.bound)) {
    report(
      at,
      `an allowed unproven pattern needs its input bounded to at most ${PATTERN_LIMITS.unprovenLength} characters`,
      `add ${site.boundHint.replace("…", String(PATTERN_LIMITS.unprovenLength))} (or less) beside it: the validators check the length before they run the pattern`,
    );
  }
}

/** The patterns of one subschema that are strings (what is not a string is SCHEMA_META's). */
function patternSites({ schema, pointer }: SchemaVisit): PatternSite[] {
  const sites: PatternSite[] = [];
  // Every pattern rule asks this of every subschema: most have no pattern at all.
  if (!("pattern" in schema) && !("patternProperties" in schema)) return sites;
  if (typeof schema.pattern === "string") {
    sites.push({
      at: joinPointer(pointer, "pattern"),
      schemaAt: pointer,
      pattern: schema.pattern,
      bound: schema.maxLength,
      boundHint: '"maxLength": …',
    });
  }
  if (isObject(schema.patternProperties)) {
    const names = isObject(schema.propertyNames) ? schema.propertyNames.maxLength : undefined;
    for (const p of Object.keys(schema.patternProperties)) {
      sites.push({
        at: joinPointer(pointer, "patternProperties", p),
        schemaAt: pointer,
        pattern: p,
        bound: names,
        boundHint: '"propertyNames": { "maxLength": … }',
      });
    }
  }
  return sites;
}

/**
 * The patterns of a schema file that the pattern rules will have judged: those of every subschema
 * that compile. The pipeline has the analyser judge them all at once before the rules run
 * (schema/redos.ts judgePatterns), so that no rule waits on it.
 */
export function patternsOf(json: unknown): string[] {
  const patterns: string[] = [];
  walkSchema(json, (visit) => {
    for (const site of validSites(visit)) patterns.push(site.pattern);
  });
  return patterns;
}

/** The patterns of one subschema that compile: the analyser judges only those (an invalid one is SCHEMA_PATTERN's). */
function validSites(visit: SchemaVisit): PatternSite[] {
  return patternSites(visit).filter((s) => patternError(s.pattern) === undefined);
}

/** Why a pattern does not compile with the u flag, or undefined when it does. */
function patternError(p: string): string | undefined {
  const compiled = compilePattern(p);
  return compiled.ok ? undefined : compiled.message;
}

/** A `maxLength` within the house bound for unproven patterns. */
function boundedLength(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= PATTERN_LIMITS.unprovenLength;
}

/** A malformed allowance: where, what is wrong, what to write. */
interface AllowanceProblem {
  at: string;
  message: string;
  hint: string;
}

/** What most subschemas allow: nothing (shared, never changed). */
const NO_ALLOWANCES: { allowed: ReadonlyMap<string, string>; problems: readonly AllowanceProblem[] } = { allowed: new Map(), problems: [] };

/**
 * The patterns a subschema allows although the analyser cannot prove them safe: its
 * `allowUnprovenPatterns`, a map from the exact pattern to the reason it is needed. A value of
 * another shape allows nothing, and is a problem (reported by SCHEMA_PATTERN_UNPROVEN).
 */
function allowances({ schema, pointer }: SchemaVisit): { allowed: ReadonlyMap<string, string>; problems: readonly AllowanceProblem[] } {
  if (!(ALLOW_UNPROVEN_PATTERNS in schema)) return NO_ALLOWANCES;
  const allowed = new Map<string, string>();
  const problems: AllowanceProblem[] = [];
  const value = schema[ALLOW_UNPROVEN_PATTERNS];
  const at = joinPointer(pointer, ALLOW_UNPROVEN_PATTERNS);
  const example = `"${ALLOW_UNPROVEN_PATTERNS}": { "<the pattern, exactly as written>": "why it is needed and why it is safe" }`;
  if (!isObject(value)) {
    problems.push({ at, message: `"${ALLOW_UNPROVEN_PATTERNS}" must be an object`, hint: `write ${example}` });
    return { allowed, problems };
  }
  for (const [p, reason] of Object.entries(value)) {
    if (typeof reason === "string" && reason.trim() !== "") allowed.set(p, reason);
    else {
      problems.push({
        at: joinPointer(at, p),
        message: "an allowance must state its reason",
        hint: `write the reason as a sentence: ${example}`,
      });
    }
  }
  return { allowed, problems };
}

/** The rules of this file. */
export const PATTERN_RULES = [pattern, patternUnsafe, patternUnproven] as const;
