/** The README documents what the code does; the generated table of diagnostic codes (docs/codes.md) is the current one. */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { CODES_PAGE, codesPage } from "../scripts/codes-table.js";
import { ROOT } from "./helpers.js";

it("docs/codes.md, the table of diagnostic codes, matches the registry src/diagnostics/codes.ts (update: npx tsx scripts/codes-table.ts --write)", async () => {
  const page = await readFile(path.join(ROOT, CODES_PAGE), "utf8");
  expect(page).toBe(codesPage());
});

it("README names the two set-up commands", async () => {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  expect(readme).toContain("npm ci && npm run build");
  expect(readme).toContain("npm test");
});
