/**
 * The meta-schemas' validators, precompiled (src/schema/meta.ts, scripts/meta-code.ts): the
 * committed code is what the script makes now, and it gives exactly ajv's validateSchema verdicts
 * and errors, with the options the schema stage checks files with, on every schema of the
 * official JSON Schema Test Suite (both dialects), on schemas broken in the ways authors break
 * them, and on every schema file of our own trees.
 */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_MODULE, generatedModule, metaCode, REFRESH_COMMAND } from "../scripts/meta-code.js";
import type { Dialect } from "../src/model/tree.js";
import { createAjvSet } from "../src/schema/ajv.js";
import { dialectOfSchema } from "../src/schema/dialects.js";
import { metaValidator } from "../src/schema/meta.js";
import { discover } from "../src/stages/discover.js";
import { parse } from "../src/stages/parse.js";
import { schemaForAjv } from "../src/stages/validate/compiled.js";
import { ROOT } from "./helpers.js";

const SUITE = path.resolve(ROOT, "../shared/json-schema-test-suite/tests");
const ajv = createAjvSet();

/** ajv's verdict and errors on a schema, and the precompiled validator's. */
function both(dialect: Dialect, schema: unknown): { ajv: unknown; ours: unknown } {
  const instance = ajv[dialect];
  const valid = instance.validateSchema(schema as object);
  const expected = { valid, errors: instance.errors ?? null };
  const validate = metaValidator(dialect);
  const ours = { valid: validate(schema), errors: validate.errors ?? null };
  return { ajv: expected, ours };
}

/** Every test group's schema of a dialect's folder of the suite (optional and format tests included). */
async function suiteSchemas(folder: string): Promise<{ where: string; schema: unknown }[]> {
  const out: { where: string; schema: unknown }[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else if (entry.name.endsWith(".json")) {
        const groups = JSON.parse(await readFile(file, "utf8")) as { description: string; schema: unknown }[];
        for (const g of groups) out.push({ where: `${path.relative(SUITE, file)}: ${g.description}`, schema: g.schema });
      }
    }
  };
  await walk(path.join(SUITE, folder));
  return out;
}

/** Schemas broken as authors break them, in both dialects. */
const BROKEN: unknown[] = [
  { type: 12 },
  { type: ["string", 5] },
  { minLength: -1 },
  { maxItems: 1.5 },
  { required: "id" },
  { required: ["a", "a"] },
  { properties: { a: 3 } },
  { enum: [] },
  { pattern: 7 },
  { additionalProperties: "no" },
  { items: [{ type: "string" }], prefixItems: {} },
  { $defs: { a: { type: "strin" } } },
  { definitions: { a: { minimum: "1" } } },
  { allOf: [] },
  { anyOf: {} },
  { $ref: 5 },
  { dependentRequired: { a: [1] } },
  { format: 3 },
  { const: undefined, title: 1, description: ["x"] },
];

describe("the meta-schemas' precompiled validators", () => {
  it(`are ajv's standalone code made now (stale? run: ${REFRESH_COMMAND})`, async () => {
    const committed = await readFile(path.join(ROOT, GENERATED_MODULE), "utf8");
    expect(committed === generatedModule(metaCode()), `${GENERATED_MODULE} is stale: run ${REFRESH_COMMAND}`).toBe(true);
  });

  for (const [folder, dialect] of [
    ["draft2020-12", "2020-12"],
    ["draft7", "draft-07"],
  ] as const) {
    it(`give ajv's verdicts and errors on every schema of the suite's ${folder}`, async () => {
      const schemas = await suiteSchemas(folder);
      expect(schemas.length).toBeGreaterThan(300);
      let invalid = 0;
      for (const { where, schema } of schemas) {
        // A schema that names another dialect is checked against that one by validateSchema: not this one's case.
        if (typeof schema === "object" && schema !== null && "$schema" in schema && dialectOfSchema(schema as never, "x.json") !== dialect)
          continue;
        const { ajv: expected, ours } = both(dialect, schema);
        expect(ours, where).toEqual(expected);
        if (!(expected as { valid: boolean }).valid) invalid++;
      }
      for (const schema of BROKEN) {
        const { ajv: expected, ours } = both(dialect, schema);
        expect(ours, JSON.stringify(schema)).toEqual(expected);
        if (!(expected as { valid: boolean }).valid) invalid++;
      }
      // Most of the broken ones are invalid in both dialects (draft-07 knows no prefixItems nor dependentRequired).
      expect(invalid).toBeGreaterThanOrEqual(BROKEN.length - 3);
    });
  }

  it("give ajv's verdicts on every schema file of our trees", async () => {
    let n = 0;
    for (const events of ["events", "test/fixtures/golden/events"]) {
      const found = await discover({ eventsDir: events, cwd: ROOT });
      for (const file of parse(found.value).value) {
        const dialect = dialectOfSchema(file.json, file.rel);
        if (file.kind.kind === "system" || !dialect) continue;
        const { ajv: expected, ours } = both(dialect, schemaForAjv(file));
        expect(ours, file.rel).toEqual(expected);
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
  });
});
