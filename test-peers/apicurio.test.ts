/**
 * Apicurio Registry's JSON Schema compatibility suite (145 tests; see shared/compat/SOURCE.md). Each
 * test gives both verdicts at once: "backward" (backward and not forward), "both" (full), "none"
 * (neither). Apicurio's rules are not Confluent's, so some disagreement is expected; each known one
 * is listed with its reason.
 */

import path from "node:path";
import { describe, expect, test } from "vitest";
import { compare } from "../src/compat/engine/index.js";
import { peerDir, readLenientJson, report, share } from "./peers.js";

interface ApicurioTest {
  id: string;
  enabled: boolean;
  compatibility: "backward" | "both" | "none";
  original: unknown;
  updated: unknown;
}

/** The (backward, forward) pair each answer stands for. */
const WANT: Record<ApicurioTest["compatibility"], [boolean, boolean]> = {
  backward: [true, false],
  both: [true, true],
  none: [false, false],
};

const REQUIRED_UNDECLARED =
  "Apicurio compares `required` names that no property declares; Confluent (and we) compare requiredness only for properties both schemas declare";
const CONTENT_ANNOTATION =
  "Apicurio treats contentEncoding/contentMediaType as constraints; they are annotations that validators do not enforce (JSON Schema 2019-09+, ajv), and Confluent ignores them";

/** Why we differ from Apicurio on a test, by test id: where Confluent's rules (ours) and Apicurio's part. */
const REASONS: Record<string, string> = {
  "Object: required": REQUIRED_UNDECLARED,
  "Object: patternProperties 1":
    "Apicurio sees a removed patternProperties entry as a relaxation; Confluent does not compare patternProperties, and we compare only patterns both schemas have",
  "String: contentEncoding 2": CONTENT_ANNOTATION,
  "String: contentEncoding 3": CONTENT_ANNOTATION,
  "String: contentMediaType 2": CONTENT_ANNOTATION,
  "String: contentMediaType 3": CONTENT_ANNOTATION,
};

/** Target: the (backward, forward) pair agrees on 90% of the tests. */
const TARGET = 0.9;

const where = peerDir("apicurio");

if ("missing" in where) {
  test("Apicurio's suite is absent, so there is nothing to compare against", () => {
    report([`Apicurio suite skipped: ${where.missing}`]);
    expect(where.missing).toMatch(/does not exist/);
  });
} else {
  describe("Apicurio's compatibility suite", () => {
    test("our (backward, forward) verdicts agree with Apicurio's", () => {
      const { tests } = readLenientJson(path.join(where.dir, "compatibility-test-data.json")) as { tests: ApicurioTest[] };
      const enabled = tests.filter((t) => t.enabled);
      const disagreements: string[] = [];
      let agree = 0;
      for (const [i, t] of enabled.entries()) {
        // Apicurio's data is draft-07 (and draft-04, which declares itself) without `$schema`.
        const result = compare(t.original, t.updated, { dialect: "draft-07" });
        const [backward, forward] = WANT[t.compatibility];
        if (result.backward === backward && result.forward === forward) {
          agree++;
          continue;
        }
        const types = result.changes.map((c) => `${c.type} ${c.pointer || "/"}`).join(", ");
        disagreements.push(
          `  #${i} "${t.id}": ours backward=${result.backward} forward=${result.forward}, Apicurio "${t.compatibility}"` +
            ` — ${REASONS[t.id] ?? "no known reason"} [${types || "no change"}]`,
        );
      }
      report([
        `Apicurio suite (${where.dir}): ${enabled.length} tests`,
        `  (backward, forward) agrees: ${share(agree, enabled.length)}`,
        `Disagreements (${disagreements.length}):`,
        ...(disagreements.length ? disagreements : ["  none"]),
      ]);
      expect(enabled.length).toBeGreaterThan(0);
      expect(agree / enabled.length).toBeGreaterThanOrEqual(TARGET);
    });
  });
}
