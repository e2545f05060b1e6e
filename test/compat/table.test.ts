/**
 * The engine's own cases (cases.ts), one `describe` per family: each asserts the (type, pointer)
 * pairs and both verdicts under STRICT. Sentences are never asserted.
 */

import { describe, expect, it } from "vitest";
import { compare } from "../../src/compat/engine/index.js";
import { TABLES } from "./cases.js";

const byPlace = (a: [string, string], b: [string, string]) => (a[1] === b[1] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : 1);

for (const [family, table] of Object.entries(TABLES)) {
  describe(family, () => {
    it.each(table)("%s", (_name, { previous, current, want, options }) => {
      const result = compare(previous, current, options);
      const got = result.changes.map((c): [string, string] => [c.type, c.pointer]);
      expect(got).toEqual([...want.types].sort(byPlace));
      expect({ backward: result.backward, forward: result.forward }).toEqual({ backward: want.backward, forward: want.forward });
      expect(result.full).toBe(want.backward && want.forward);
    });
  });
}
