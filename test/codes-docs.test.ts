/**
 * The pages of docs/codes/ cannot rot: every code of CODES has a page and an example; each example
 * is run with the real command — the wrong one must give its code (and only the codes its
 * example.json admits), the right one no error (only the warnings it admits) — and each page must
 * be what scripts/codes-docs.ts writes from the example today (update: npx tsx scripts/codes-docs.ts --write).
 */

import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCS, documentedCodes, renderPage, runExample } from "../scripts/codes-docs.js";
import { CODES, type Code, type Diagnostic } from "../src/diagnostics/index.js";
import { scratch as makeScratch } from "./helpers.js";

const codes = Object.keys(CODES) as Code[];
let scratch: string;

beforeAll(async () => {
  scratch = await makeScratch("codes-docs");
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function expectTeaching(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.hint?.trim(), `${d.code}: ${d.message}`).toBeTruthy();
    expect(d.hint?.trim(), `${d.code}: ${d.message}`).not.toBe(d.message.trim());
  }
}

describe("docs/codes", () => {
  it("has an example folder for every code, and none for a code that does not exist", async () => {
    expect(await documentedCodes()).toEqual([...codes].sort());
  });

  it.each(codes)("%s: the wrong example gives the code, the right one no error, and the page is current", async (code) => {
    for (const part of [`${code}.md`, `${code}/about.md`, `${code}/wrong`, `${code}/right`]) {
      expect(existsSync(path.join(DOCS, part)), `docs/codes/${part}`).toBe(true);
    }
    const example = await runExample(code, scratch);
    const { wrong, right, config } = example;

    const found = new Set(wrong.diagnostics.map((d) => d.code));
    expect(found, "the wrong example gives its code").toContain(code);
    expect([...found].filter((c) => c !== code && !config.alsoWrong?.includes(c))).toEqual([]);
    expect(wrong.exit).toBe(wrong.diagnostics.some((d) => d.severity === "error") ? 1 : 0);

    expect(right.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(right.diagnostics.filter((d) => !config.rightWarnings?.includes(d.code))).toEqual([]);
    expect(right.exit).toBe(0);

    expectTeaching([...wrong.diagnostics, ...right.diagnostics]);

    const page = await readFile(path.join(DOCS, `${code}.md`), "utf8");
    expect(page, `docs/codes/${code}.md is stale: npx tsx scripts/codes-docs.ts --write ${code}`).toBe(await renderPage(example));
  });
});
