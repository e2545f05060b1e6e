/**
 * Confluent Schema Registry's own JSON Schema diff suite (json-schema-provider's SchemaDiffTest data,
 * 263 cases in four files; see shared/compat/SOURCE.md). For each case we compare our BACKWARD
 * verdicts under STRICT and LENIENT, and the multiset of change types, with Confluent's. Paths are
 * not compared: Confluent's point into its parsed model, ours into the source.
 */

import path from "node:path";
import { describe, expect, test } from "vitest";
import { compare, diff } from "../src/compat/engine/index.js";
import type { Dialect } from "../src/model/tree.js";
import { peerDir, readLenientJson, report, share } from "./peers.js";

/** The files, and the dialect Confluent reads a schema without `$schema` in (draft-07 unless the name says 2020-12). */
const FILES: { name: string; dialect: Dialect }[] = [
  { name: "diff-schema-examples.json", dialect: "draft-07" },
  { name: "diff-schema-examples-2020-12.json", dialect: "2020-12" },
  { name: "diff-combined-schema-examples.json", dialect: "draft-07" },
  { name: "diff-combined-schema-examples-2020-12.json", dialect: "2020-12" },
];

interface ConfluentCase {
  description: string;
  original_schema: unknown;
  update_schema: unknown;
  /** `"<Difference.Type> <path>"`. */
  changes: string[];
  compatible: boolean;
  compatible_lenient?: boolean;
}

/** Why our change types differ from Confluent's on a case, by description: where we report more. */
const REASONS: Record<string, string> = {
  "Detect property removed from partially open content model 1":
    "the update adds patternProperties entries to a closed object; we report each as OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL (compatible), Confluent does not compare patternProperties",
};

/** Targets: verdicts agree on 99% of the cases, change types on 95%. */
const VERDICT_TARGET = 0.99;
const TYPES_TARGET = 0.95;

const where = peerDir("confluent");

if ("missing" in where) {
  test("Confluent's suite is absent, so there is nothing to compare against", () => {
    report([`Confluent suite skipped: ${where.missing}`]);
    expect(where.missing).toMatch(/does not exist/);
  });
} else {
  describe("Confluent's SchemaDiff suite", () => {
    test("our verdicts (STRICT, LENIENT) and change types agree with Confluent's", () => {
      let total = 0;
      let strictAgree = 0;
      let lenientAgree = 0;
      let typesAgree = 0;
      const disagreements: string[] = [];
      for (const file of FILES) {
        const cases = readLenientJson(path.join(where.dir, file.name)) as ConfluentCase[];
        cases.forEach((c, i) => {
          total++;
          const options = { dialect: file.dialect };
          const strict = compare(c.original_schema, c.update_schema, { ...options, policy: "strict" }).backward;
          const lenient = compare(c.original_schema, c.update_schema, { ...options, policy: "lenient" }).backward;
          const ours = diff(c.original_schema, c.update_schema, options)
            .map((d) => d.type)
            .sort();
          const theirs = c.changes.map((s) => s.split(" ")[0] ?? s).sort();
          const wantLenient = c.compatible_lenient ?? c.compatible;
          const sameTypes = ours.join(" ") === theirs.join(" ");
          if (strict === c.compatible) strictAgree++;
          if (lenient === wantLenient) lenientAgree++;
          if (sameTypes) typesAgree++;
          if (strict !== c.compatible || lenient !== wantLenient || !sameTypes) {
            disagreements.push(
              `  ${file.name}#${i} "${c.description}": ours strict=${strict} lenient=${lenient} [${ours.join(", ")}]` +
                ` / theirs strict=${c.compatible} lenient=${wantLenient} [${theirs.join(", ")}]` +
                ` — ${REASONS[c.description] ?? "no known reason"}`,
            );
          }
        });
      }
      report([
        `Confluent suite (${where.dir}): ${total} cases`,
        `  STRICT backward verdict agrees:  ${share(strictAgree, total)}`,
        `  LENIENT backward verdict agrees: ${share(lenientAgree, total)}`,
        `  change types agree (multiset):   ${share(typesAgree, total)}`,
        `Disagreements (${disagreements.length}):`,
        ...(disagreements.length ? disagreements : ["  none"]),
      ]);
      expect(total).toBeGreaterThan(0);
      expect(strictAgree / total).toBeGreaterThanOrEqual(VERDICT_TARGET);
      expect(lenientAgree / total).toBeGreaterThanOrEqual(VERDICT_TARGET);
      expect(typesAgree / total).toBeGreaterThanOrEqual(TYPES_TARGET);
    });
  });
}
